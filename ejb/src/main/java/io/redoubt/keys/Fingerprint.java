package io.redoubt.keys;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/** The fingerprint format used across Redoubt: lower-case hex SHA-384 of the DER encoding. */
public final class Fingerprint {

  private Fingerprint() {}

  /** Lower-case hex SHA-384 of {@code der}. */
  public static String sha384Hex(byte[] der) throws GeneralSecurityException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-384").digest(der));
  }
}
