package io.redoubt.protocol.hpke;

import java.util.Objects;

/**
 * A ciphersuite (KEM, KDF, AEAD). {@link #PROTOCOL} is the only suite Redoubt v1 seals with:
 * DHKEM(P-384, HKDF-SHA384), HKDF-SHA384, AES-256-GCM (0x0011, 0x0002, 0x0002).
 */
public record HpkeSuite(Kem kem, Kdf kdf, Aead aead) {

  /** The protocol suite of PROTOCOL.md. */
  public static final HpkeSuite PROTOCOL =
      new HpkeSuite(Kem.DHKEM_P384_HKDF_SHA384, Kdf.HKDF_SHA384, Aead.AES_256_GCM);

  public HpkeSuite {
    Objects.requireNonNull(kem);
    Objects.requireNonNull(kdf);
    Objects.requireNonNull(aead);
  }

  /** The suite with these registry ids. */
  public static HpkeSuite byIds(int kemId, int kdfId, int aeadId) {
    return new HpkeSuite(Kem.byId(kemId), Kdf.byId(kdfId), Aead.byId(aeadId));
  }

  /** "HPKE" ‖ kem_id ‖ kdf_id ‖ aead_id, the suite_id of the key schedule. */
  byte[] suiteId() {
    return Labels.concat(
        Labels.ascii("HPKE"),
        Dhkem.twoBytes(kem.id()),
        Dhkem.twoBytes(kdf.id()),
        Dhkem.twoBytes(aead.id()));
  }
}
