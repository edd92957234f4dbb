package io.redoubt.protocol.hpke;

import io.redoubt.protocol.crypto.HashFunction;
import io.redoubt.protocol.crypto.Hkdf;

/** HPKE KDF identifiers (RFC 9180 §7.2) and the HKDF each stands for. */
public enum Kdf {
  HKDF_SHA256(0x0001, HashFunction.SHA256),
  HKDF_SHA384(0x0002, HashFunction.SHA384),
  HKDF_SHA512(0x0003, HashFunction.SHA512);

  private final int id;
  private final HashFunction hash;

  Kdf(int id, HashFunction hash) {
    this.id = id;
    this.hash = hash;
  }

  public int id() {
    return id;
  }

  /** Nh: the hash output length. */
  public int hashLength() {
    return hash.length();
  }

  Hkdf hkdf() {
    return Hkdf.over(hash);
  }

  /** The KDF with this registry id. */
  public static Kdf byId(int id) {
    for (Kdf kdf : values()) {
      if (kdf.id == id) {
        return kdf;
      }
    }
    throw new IllegalArgumentException("unsupported HPKE KDF id " + id);
  }
}
