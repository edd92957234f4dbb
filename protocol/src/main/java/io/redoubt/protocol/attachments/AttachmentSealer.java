package io.redoubt.protocol.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The ciphertext of a file as a stream, sealed chunk by chunk as it is read (docs: messaging,
 * "Attachments"). Hand it to an upload as its body: neither the file nor its ciphertext is ever
 * whole in memory — at most one chunk of each, plus one byte of look-ahead that tells whether a
 * chunk is the last.
 *
 * <p>Once the stream is read to its end, {@link #sealed()} gives the sizes and the digest that the
 * message's descriptor carries. Not thread-safe.
 */
public final class AttachmentSealer extends InputStream {

  private final InputStream plaintext;
  private final ChunkCipher cipher;
  private final MessageDigest digest = Streams.sha384();
  private final byte[] chunk = new byte[AttachmentFormat.CHUNK_SIZE];
  private final byte[] out = new byte[AttachmentFormat.CHUNK_SIZE + AttachmentFormat.TAG_LENGTH];
  private int outPosition;
  private int outLength;
  private final ChunkReader chunks;
  private long index;
  private long plaintextLength;
  private long ciphertextLength;
  private boolean lastSealed;
  private SealedAttachment sealed;

  /**
   * Seals {@code plaintext} under {@code key}, which may seal nothing else afterwards.
   *
   * @param random makes the file's nonce prefix
   * @throws IllegalStateException when {@code key} has sealed before or cannot seal
   */
  public static AttachmentSealer seal(InputStream plaintext, AttachmentKey key, SecureRandom random)
      throws GeneralSecurityException {
    byte[] prefix = new byte[AttachmentFormat.NONCE_PREFIX_LENGTH];
    random.nextBytes(prefix);
    byte[] keyBytes = key.forSealing();
    try {
      return new AttachmentSealer(plaintext, keyBytes, prefix);
    } finally {
      Arrays.fill(keyBytes, (byte) 0);
    }
  }

  /** Any key and prefix: for the tests of what the public entry prevents. */
  AttachmentSealer(InputStream plaintext, byte[] keyBytes, byte[] noncePrefix)
      throws GeneralSecurityException {
    this.plaintext = Objects.requireNonNull(plaintext, "plaintext");
    this.chunks = new ChunkReader(this.plaintext);
    byte[] header = AttachmentFormat.header(noncePrefix);
    this.cipher = new ChunkCipher(keyBytes, header, noncePrefix);
    System.arraycopy(header, 0, out, 0, header.length);
    outLength = header.length;
    digest.update(header);
    ciphertextLength = header.length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : Byte.toUnsignedInt(one[0]);
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (length == 0) {
      return 0;
    }
    if (outPosition == outLength) {
      if (lastSealed) {
        return -1;
      }
      sealNextChunk();
    }
    int n = Math.min(length, outLength - outPosition);
    System.arraycopy(out, outPosition, buffer, offset, n);
    outPosition += n;
    return n;
  }

  private void sealNextChunk() throws IOException {
    int n = chunks.next(chunk);
    boolean last = chunks.wasLast();
    if (!last && index == AttachmentFormat.MAX_CHUNKS - 1) {
      throw new IOException("the file is larger than an attachment may be (2^32 chunks)");
    }
    try {
      outLength = cipher.seal(index, last, chunk, n, out);
    } catch (GeneralSecurityException e) {
      throw new IOException("sealing chunk " + index + " failed", e);
    }
    outPosition = 0;
    digest.update(out, 0, outLength);
    index++;
    plaintextLength += n;
    ciphertextLength += outLength;
    if (last) {
      lastSealed = true;
      sealed = new SealedAttachment(plaintextLength, ciphertextLength, digest.digest());
      Arrays.fill(chunk, (byte) 0);
      cipher.clear();
    }
  }

  /**
   * The sizes and digest, once every ciphertext byte was read.
   *
   * @throws IllegalStateException before that
   */
  public SealedAttachment sealed() {
    if (sealed == null || outPosition < outLength) {
      throw new IllegalStateException("the ciphertext has not been read to its end");
    }
    return sealed;
  }

  @Override
  public void close() throws IOException {
    Arrays.fill(chunk, (byte) 0);
    cipher.clear();
    plaintext.close();
  }
}
