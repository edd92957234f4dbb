/**
 * Deciding whether to trust what a Redoubt server vouches for: pure checks (no network) of the
 * organisation CA's signed artefacts, given the CA certificate the client pinned from {@code
 * /api/v1/info}. The revocation list first: {@link io.redoubt.client.trust.RevocationCheck}.
 */
package io.redoubt.client.trust;
