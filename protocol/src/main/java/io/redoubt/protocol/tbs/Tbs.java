package io.redoubt.protocol.tbs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds the explicit to-be-signed encoding of a structure: the label, then each field, every one
 * of them as a 4-byte big-endian length followed by its bytes. Strings are UTF-8, integers are 8
 * bytes big-endian (two's complement), UUIDs are their 16 bytes.
 *
 * <pre>
 *   TBS = len(label) ‖ label ‖ len(f1) ‖ f1 ‖ … ‖ len(fn) ‖ fn        (len = uint32, big-endian)
 * </pre>
 *
 * <p>Why this shape: the encoding is a prefix-free sequence of length-delimited byte strings, so it
 * is injective — two different (label, field list) pairs never encode to the same bytes, and no
 * field boundary can move (("ab","c") and ("a","bc") differ). The label comes first and is part of
 * the same framing, so a structure of one kind can never parse as another. Field types are not
 * tagged: the label fixes the schema, and a changed schema gets a new label.
 */
public final class Tbs {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private Tbs(TbsLabel label) {
    field(label.ascii());
  }

  /** Starts the encoding of a structure with this label. */
  public static Tbs of(TbsLabel label) {
    return new Tbs(Objects.requireNonNull(label));
  }

  /** A byte-string field (public keys, hashes). */
  public Tbs bytes(byte[] value) {
    return field(Objects.requireNonNull(value).clone());
  }

  /** A text field, UTF-8. */
  public Tbs text(String value) {
    return field(Objects.requireNonNull(value).getBytes(StandardCharsets.UTF_8));
  }

  /** An integer field, 8 bytes big-endian. */
  public Tbs integer(long value) {
    return field(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
  }

  /** A UUID field (message ids), its 16 bytes, most significant first. */
  public Tbs uuid(UUID value) {
    Objects.requireNonNull(value);
    return field(
        ByteBuffer.allocate(16)
            .putLong(value.getMostSignificantBits())
            .putLong(value.getLeastSignificantBits())
            .array());
  }

  /** A boolean field, one byte 0x00 or 0x01. */
  public Tbs flag(boolean value) {
    return field(new byte[] {(byte) (value ? 1 : 0)});
  }

  /** The encoding so far; the builder may be extended afterwards. */
  public byte[] encode() {
    return out.toByteArray();
  }

  private Tbs field(byte[] value) {
    out.write(ByteBuffer.allocate(Integer.BYTES).putInt(value.length).array(), 0, Integer.BYTES);
    out.write(value, 0, value.length);
    return this;
  }
}
