/**
 * Custody of the organisation's keys and of the cryptographic module.
 *
 * <p>Invariants: the organisation's private keys (device CA first; the transparency-log and audit
 * keys follow) are generated inside the HSM and are never extractable; the application refuses to
 * start unless the Bouncy Castle FIPS module is in approved-only mode ({@link
 * io.redoubt.keys.FipsGuard}); each HSM key's certificate is pinned in the database ({@link
 * io.redoubt.keys.OrganisationKeyRegistry}) so that a swapped token is detected, not trusted.
 */
package io.redoubt.keys;
