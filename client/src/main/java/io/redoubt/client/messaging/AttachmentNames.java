package io.redoubt.client.messaging;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * File names for received attachments. The name in a descriptor comes from the sender and is
 * untrusted input: it may try to climb out of the save directory ({@code ../../.bashrc}), hide
 * itself ({@code .profile}), name a device ({@code CON}, {@code NUL}), smuggle control or bidi
 * characters into a terminal ({@code "invoice\u202Efdp.exe"}), or be too long for the file system.
 * {@link #sanitise} turns any of them into one plain name inside the directory; {@link #candidate}
 * adds a counter so that an existing file is never replaced.
 */
public final class AttachmentNames {

  /** The name used when nothing usable is left of the sender's. */
  public static final String FALLBACK = "attachment";

  /** Most file systems allow 255 bytes per name; room is kept for a " (NNN)" counter. */
  static final int MAX_BYTES = 240;

  /** Names Windows reserves for devices, with or without an extension. */
  private static final Set<String> RESERVED =
      Set.of(
          "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
          "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

  /** Characters no portable file name may hold (Windows' list; '/' and '\' are separators). */
  private static final String FORBIDDEN = "<>:\"|?*";

  private AttachmentNames() {}

  /**
   * A safe file name for {@code untrusted}: its last path component only, NFC-normalised, with
   * control, format (bidi overrides, zero-width), separator and reserved characters replaced by
   * {@code _}, without leading dots or spaces (no hidden files, never {@code .} or {@code ..}) and
   * trailing dots or spaces, a device name prefixed with {@code _}, and at most {@value #MAX_BYTES}
   * bytes of UTF-8 (the extension kept). Never empty: {@value #FALLBACK} when nothing is left.
   */
  public static String sanitise(String untrusted) {
    if (untrusted == null) {
      return FALLBACK;
    }
    String name = Normalizer.normalize(untrusted, Normalizer.Form.NFC);
    // Only the last component: a sender's directories mean nothing here, and "a/../../b" is "b".
    int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    name = name.substring(cut + 1);
    StringBuilder clean = new StringBuilder(name.length());
    name.codePoints().forEach(c -> clean.appendCodePoint(allowed(c) ? c : '_'));
    name = trim(clean.toString());
    if (name.isEmpty()) {
      return FALLBACK;
    }
    int dot = name.indexOf('.');
    String stem = dot < 0 ? name : name.substring(0, dot);
    if (RESERVED.contains(stem.toUpperCase(Locale.ROOT))) {
      name = "_" + name;
    }
    return shorten(name, MAX_BYTES);
  }

  /**
   * The {@code n}th name to try for {@code name} (already sanitised): {@code n = 0} is the name
   * itself, then {@code report (1).pdf}, {@code report (2).pdf}, ...
   */
  public static String candidate(String name, int n) {
    if (n == 0) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String stem = dot <= 0 ? name : name.substring(0, dot);
    String extension = dot <= 0 ? "" : name.substring(dot);
    return stem + " (" + n + ")" + extension;
  }

  /**
   * {@code directory}/{@code name}, after checking that it stays directly inside {@code directory}
   * — the last line of defence should {@link #sanitise} ever let a separator through.
   *
   * @throws IllegalArgumentException when it would not
   */
  public static Path inside(Path directory, String name) {
    Path base = directory.toAbsolutePath().normalize();
    Path target = base.resolve(name).normalize();
    if (!base.equals(target.getParent()) || !target.getFileName().toString().equals(name)) {
      throw new IllegalArgumentException("not a plain file name: " + name);
    }
    return target;
  }

  private static boolean allowed(int c) {
    if (c == '/' || c == '\\' || FORBIDDEN.indexOf(c) >= 0) {
      return false;
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.PRIVATE_USE,
          Character.SURROGATE,
          Character.UNASSIGNED ->
          false;
      default -> true;
    };
  }

  /** Without leading dots and white space, and without trailing dots and white space. */
  private static String trim(String name) {
    int start = 0;
    int end = name.length();
    while (start < end
        && (name.charAt(start) == '.' || Character.isWhitespace(name.charAt(start)))) {
      start++;
    }
    while (end > start
        && (name.charAt(end - 1) == '.' || Character.isWhitespace(name.charAt(end - 1)))) {
      end--;
    }
    return name.substring(start, end);
  }

  /** At most {@code max} bytes of UTF-8, cut between code points, keeping a short extension. */
  private static String shorten(String name, int max) {
    if (name.getBytes(StandardCharsets.UTF_8).length <= max) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
    String stem = extension.isEmpty() ? name : name.substring(0, dot);
    int budget = max - extension.getBytes(StandardCharsets.UTF_8).length;
    StringBuilder kept = new StringBuilder();
    int used = 0;
    for (int i = 0; i < stem.length(); ) {
      int c = stem.codePointAt(i);
      int bytes = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
      if (used + bytes > budget) {
        break;
      }
      kept.appendCodePoint(c);
      used += bytes;
      i += Character.charCount(c);
    }
    return trim(kept + extension);
  }
}
