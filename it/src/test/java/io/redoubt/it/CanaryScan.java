package io.redoubt.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Looks for canaries where the server keeps things: a full dump of the lab's MariaDB, and every
 * file under given directories (server logs, the database's own files, the blob store). Each canary
 * is searched as its bytes, and as base64, base64url and hex of them, so that a copy the server
 * encoded is found too.
 */
final class CanaryScan {

  private static final int BUFFER = 1 << 20;

  private CanaryScan() {}

  /** A full dump of every database of the lab's MariaDB, written to {@code target}. */
  static Path databaseDump(Path target) throws Exception {
    Process dump =
        new ProcessBuilder(
                "mariadb-dump",
                "--no-defaults",
                "--socket=" + Lab.env("DB_SOCKET"),
                "-u",
                "root",
                "--all-databases",
                "--single-transaction")
            .redirectOutput(target.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    if (!dump.waitFor(5, TimeUnit.MINUTES) || dump.exitValue() != 0) {
      throw new IllegalStateException("mariadb-dump failed");
    }
    return target;
  }

  /** The forms a canary is searched in. */
  static List<byte[]> forms(byte[] canary) {
    return List.of(
        canary,
        Base64.getEncoder().withoutPadding().encode(canary),
        Base64.getUrlEncoder().withoutPadding().encode(canary),
        HexFormat.of().formatHex(canary).getBytes(StandardCharsets.US_ASCII),
        HexFormat.of()
            .formatHex(canary)
            .toUpperCase(Locale.ROOT)
            .getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Every file under {@code roots} (files or directories) that contains any form of any canary, as
   * "path: canary form".
   */
  static List<String> hits(List<Path> roots, List<byte[]> canaries) throws IOException {
    List<byte[]> needles = new ArrayList<>();
    canaries.forEach(c -> needles.addAll(forms(c)));
    List<String> hits = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.exists(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          for (byte[] needle : found(file, needles)) {
            hits.add(file + ": " + new String(needle, StandardCharsets.US_ASCII));
          }
        }
      } catch (java.io.UncheckedIOException vanished) {
        // a file removed while walking (a rotating log, a temp file) holds nothing to find
      }
    }
    return hits;
  }

  /**
   * The needles the file contains, read once, in chunks that overlap by the longest needle less one
   * byte: memory stays flat whatever the file's size.
   */
  static List<byte[]> found(Path file, List<byte[]> needles) throws IOException {
    int overlap = needles.stream().mapToInt(n -> n.length).max().orElse(1) - 1;
    byte[] buffer = new byte[BUFFER + overlap];
    List<byte[]> left = new ArrayList<>(needles);
    List<byte[]> found = new ArrayList<>();
    int kept = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int read;
      while (!left.isEmpty() && (read = in.read(buffer, kept, BUFFER)) > 0) {
        int length = kept + read;
        for (byte[] needle : List.copyOf(left)) {
          if (indexOf(buffer, length, needle) >= 0) {
            found.add(needle);
            left.remove(needle);
          }
        }
        kept = Math.min(overlap, length);
        System.arraycopy(buffer, length - kept, buffer, 0, kept);
      }
    } catch (java.nio.file.AccessDeniedException | java.nio.file.NoSuchFileException gone) {
      return found;
    }
    return found;
  }

  private static int indexOf(byte[] haystack, int length, byte[] needle) {
    outer:
    for (int i = 0; i <= length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
