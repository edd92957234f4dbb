package io.redoubt.protocol.transparency;

/** What a transparency-log leaf records. The code is the leaf's first TBS field. */
public enum LeafKind {
  /** A device certificate was issued. */
  CERTIFICATE_ISSUED("certificate-issued"),
  /** A device certificate was revoked. */
  CERTIFICATE_REVOKED("certificate-revoked"),
  /** The records archiver's key (HPKE recipient for retention) changed. */
  ARCHIVER_KEY_CHANGED("archiver-key-changed");

  private final String code;

  LeafKind(String code) {
    this.code = code;
  }

  /** The stable ASCII code in the leaf encoding and in JSON. */
  public String code() {
    return code;
  }

  /** The kind with this code. */
  public static LeafKind ofCode(String code) {
    for (LeafKind kind : values()) {
      if (kind.code.equals(code)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown leaf kind " + code);
  }
}
