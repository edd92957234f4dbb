package io.redoubt.it;

import io.redoubt.protocol.crypto.FipsModule;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.SplittableRandom;

/** Files for attachment tests: random content of a given size, and digests to compare them by. */
final class TestFiles {

  private static final int BUFFER = 1 << 20;

  private TestFiles() {}

  /** Writes {@code size} random bytes to {@code file} a buffer at a time; returns their SHA-384. */
  static byte[] writeRandom(Path file, long size) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-384", "BCFIPS");
    SplittableRandom random = new SplittableRandom(FipsModule.random().nextLong());
    byte[] buffer = new byte[BUFFER];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; ) {
        int n = (int) Math.min(buffer.length, left);
        random.nextBytes(buffer);
        digest.update(buffer, 0, n);
        out.write(buffer, 0, n);
        left -= n;
      }
    }
    return digest.digest();
  }

  /** The SHA-384 of {@code file}, read a buffer at a time. */
  static byte[] sha384(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-384", "BCFIPS");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[BUFFER];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }
}
