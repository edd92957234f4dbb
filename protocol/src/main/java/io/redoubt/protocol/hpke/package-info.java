/**
 * HPKE (RFC 9180) on the FIPS module: DHKEM over P-256/P-384/P-521, HKDF-SHA256/384/512,
 * AES-128/256-GCM; base, psk, auth and auth-psk modes; single-shot seal/open and the exporter.
 *
 * <p>Invariants: every public key that enters is validated and must lie on the suite's curve;
 * contexts never reuse a nonce; shared secrets and key-schedule secrets are zeroed after use and
 * never printed. The protocol seals message keys with {@link
 * io.redoubt.protocol.hpke.HpkeSuite#PROTOCOL} in base mode.
 */
package io.redoubt.protocol.hpke;
