package io.redoubt.protocol.attachments;

import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.crypto.HashFunction;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/** Reading helpers the sealer and the opener share. */
final class Streams {

  private Streams() {}

  /** Reads until {@code length} bytes are in or the stream ends; returns how many came. */
  static int readFully(InputStream in, byte[] buffer, int offset, int length) throws IOException {
    int total = 0;
    while (total < length) {
      int n = in.read(buffer, offset + total, length - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  static MessageDigest sha384() {
    try {
      return MessageDigest.getInstance(HashFunction.SHA384.jcaName(), FipsModule.PROVIDER);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the FIPS provider lacks SHA-384", e);
    }
  }
}
