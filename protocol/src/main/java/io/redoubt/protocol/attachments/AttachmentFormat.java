package io.redoubt.protocol.attachments;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte layout of an encrypted attachment, version 1:
 *
 * <pre>
 * header  = "RDBA" (4) ‖ version 0x01 (1) ‖ chunk size, 4-byte big-endian (4) ‖ nonce prefix (7)
 * chunk_i = AES-256-GCM(key, nonce_i, aad = header, plaintext_i) = ciphertext_i ‖ tag_i (16)
 * nonce_i = nonce prefix (7) ‖ i, 4-byte big-endian (4) ‖ 0x01 if the last chunk else 0x00 (1)
 * file    = header ‖ chunk_0 ‖ … ‖ chunk_n
 * </pre>
 *
 * Every plaintext chunk is exactly {@link #CHUNK_SIZE} bytes except the last, which holds 1 to
 * {@code CHUNK_SIZE} bytes — or 0 when the whole file is empty, which is then one empty last chunk.
 * The chunk size is written into the header (so that the header is self-describing and in every
 * chunk's AAD) but version 1 accepts only 64 KiB: a reader never lets a file choose its buffers.
 */
public final class AttachmentFormat {

  /** Plaintext bytes per chunk. */
  public static final int CHUNK_SIZE = 64 * 1024;

  /** The GCM tag after every chunk. */
  public static final int TAG_LENGTH = 16;

  /** The random part of every chunk nonce, one per file. */
  public static final int NONCE_PREFIX_LENGTH = 7;

  /** Bytes before the first chunk. */
  public static final int HEADER_LENGTH = 16;

  /** The only version this code writes and reads. */
  public static final int VERSION = 1;

  /** A 4-byte counter: at most 2^32 chunks, 256 TiB of plaintext per file. */
  static final long MAX_CHUNKS = 1L << 32;

  static final int NONCE_LENGTH = 12;

  private static final byte[] MAGIC = "RDBA".getBytes(StandardCharsets.US_ASCII);

  private AttachmentFormat() {}

  /**
   * The exact ciphertext length of a plaintext of {@code plaintextLength} bytes: a recipient knows
   * from the descriptor's size how many bytes the blob must have.
   */
  public static long ciphertextLength(long plaintextLength) {
    if (plaintextLength < 0) {
      throw new IllegalArgumentException("negative length");
    }
    long chunks = Math.max(1, (plaintextLength + CHUNK_SIZE - 1) / CHUNK_SIZE);
    return HEADER_LENGTH + plaintextLength + chunks * TAG_LENGTH;
  }

  static byte[] header(byte[] noncePrefix) {
    if (noncePrefix.length != NONCE_PREFIX_LENGTH) {
      throw new IllegalArgumentException("nonce prefixes are " + NONCE_PREFIX_LENGTH + " bytes");
    }
    return ByteBuffer.allocate(HEADER_LENGTH)
        .put(MAGIC)
        .put((byte) VERSION)
        .putInt(CHUNK_SIZE)
        .put(noncePrefix)
        .array();
  }

  /**
   * The nonce prefix of a header this code can read.
   *
   * @throws AttachmentIntegrityException for anything but a version-1 header with 64 KiB chunks
   */
  static byte[] noncePrefixOf(byte[] header) throws AttachmentIntegrityException {
    ByteBuffer in = ByteBuffer.wrap(header);
    byte[] magic = new byte[MAGIC.length];
    in.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new AttachmentIntegrityException("not an encrypted Redoubt attachment");
    }
    int version = Byte.toUnsignedInt(in.get());
    if (version != VERSION) {
      throw new AttachmentIntegrityException("unsupported attachment version " + version);
    }
    int chunkSize = in.getInt();
    if (chunkSize != CHUNK_SIZE) {
      throw new AttachmentIntegrityException("unsupported chunk size " + chunkSize);
    }
    byte[] prefix = new byte[NONCE_PREFIX_LENGTH];
    in.get(prefix);
    return prefix;
  }

  /** Writes chunk {@code index}'s nonce into {@code nonce} (reused, so no garbage per chunk). */
  static void nonce(byte[] noncePrefix, long index, boolean last, byte[] nonce) {
    System.arraycopy(noncePrefix, 0, nonce, 0, NONCE_PREFIX_LENGTH);
    nonce[7] = (byte) (index >>> 24);
    nonce[8] = (byte) (index >>> 16);
    nonce[9] = (byte) (index >>> 8);
    nonce[10] = (byte) index;
    nonce[11] = (byte) (last ? 1 : 0);
  }
}
