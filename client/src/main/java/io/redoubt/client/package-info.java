/**
 * The Redoubt client SDK: signs in against the organisation's identity provider and calls the REST
 * API. Used by the {@code redoubt} command, by bots, and by the integration and load tests.
 *
 * <p>Invariants: TLS only, with trust anchors the caller names (never "trust all"); access tokens
 * and passwords never appear in exception messages or {@code toString()}.
 */
package io.redoubt.client;
