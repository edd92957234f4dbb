/**
 * The primitives on Bouncy Castle FIPS in approved-only mode: ECDSA P-384/SHA-384, ECDH with full
 * public-key validation, HKDF (low-level FipsKDF API), AES-GCM, and the single-use {@link
 * io.redoubt.protocol.crypto.MessageKey} for message content.
 *
 * <p>Invariants: every JCA call names the BCFIPS provider; protocol keys pass {@link
 * io.redoubt.protocol.ProtocolCurves#requireP384}; secrets are zeroed where Java allows and never
 * appear in exception messages or {@code toString}.
 */
package io.redoubt.protocol.crypto;
