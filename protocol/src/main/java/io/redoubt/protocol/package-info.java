/**
 * Redoubt's cryptographic protocol (PROTOCOL.md, v1), shared by the server and the client SDK.
 *
 * <p>Invariants: every primitive comes from the Bouncy Castle FIPS provider in approved-only mode;
 * protocol keys are ECDSA/ECDH on P-384 only ({@link io.redoubt.protocol.ProtocolCurves}); nothing
 * here logs key material.
 */
package io.redoubt.protocol;
