package io.redoubt.protocol.hpke;

/**
 * HPKE AEAD identifiers (RFC 9180 §7.3), FIPS-approved ones only: AES-GCM with 128- or 256-bit keys
 * (ChaCha20-Poly1305 is not approved). Nn = 12, Nt = 16 for both.
 */
public enum Aead {
  AES_128_GCM(0x0001, 16),
  AES_256_GCM(0x0002, 32);

  /** Nn. */
  public static final int NONCE_LENGTH = 12;

  private final int id;
  private final int keyLength;

  Aead(int id, int keyLength) {
    this.id = id;
    this.keyLength = keyLength;
  }

  public int id() {
    return id;
  }

  /** Nk. */
  public int keyLength() {
    return keyLength;
  }

  /** The AEAD with this registry id. */
  public static Aead byId(int id) {
    for (Aead aead : values()) {
      if (aead.id == id) {
        return aead;
      }
    }
    throw new IllegalArgumentException("unsupported HPKE AEAD id " + id);
  }
}
