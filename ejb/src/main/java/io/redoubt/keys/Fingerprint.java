package io.redoubt.keys;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/** The fingerprint format used across Redoubt: lower-case hex SHA-384 of the DER encoding. */
public final class Fingerprint {

  private Fingerprint() {}

  /** SHA-384 of {@code der}: the 48 bytes the transparency log records. */
  public static byte[] sha384(byte[] der) throws GeneralSecurityException {
    return MessageDigest.getInstance("SHA-384").digest(der);
  }

  /** Lower-case hex SHA-384 of {@code der}, as shown to people and pinned in the database. */
  public static String sha384Hex(byte[] der) throws GeneralSecurityException {
    return HexFormat.of().formatHex(sha384(der));
  }
}
