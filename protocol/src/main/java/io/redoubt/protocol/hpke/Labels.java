package io.redoubt.protocol.hpke;

import io.redoubt.protocol.crypto.Hkdf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * LabeledExtract and LabeledExpand (RFC 9180 §4): every HKDF call is bound to "HPKE-v1", the suite
 * id and a label, so that no output of one step can be confused with another's.
 */
final class Labels {

  private static final byte[] VERSION = "HPKE-v1".getBytes(StandardCharsets.US_ASCII);

  private final Hkdf hkdf;
  private final byte[] suiteId;

  Labels(Hkdf hkdf, byte[] suiteId) {
    this.hkdf = hkdf;
    this.suiteId = suiteId.clone();
  }

  byte[] extract(byte[] salt, String label, byte[] ikm) {
    return hkdf.extract(salt, concat(VERSION, suiteId, ascii(label), ikm));
  }

  byte[] expand(byte[] prk, String label, byte[] info, int length) {
    if (length > 0xFFFF) {
      throw new IllegalArgumentException("labelled expand length must fit in two bytes");
    }
    byte[] prefix = {(byte) (length >>> 8), (byte) length};
    return hkdf.expand(prk, concat(prefix, VERSION, suiteId, ascii(label), info), length);
  }

  static byte[] ascii(String label) {
    return label.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.write(part, 0, part.length);
    }
    return out.toByteArray();
  }
}
