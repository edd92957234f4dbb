package io.redoubt.protocol.attachments;

import io.redoubt.protocol.crypto.HashFunction;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * The plaintext of an encrypted attachment as a stream, opened chunk by chunk as the ciphertext
 * arrives (docs: messaging, "Attachments"). Memory stays at one chunk whatever the file's size.
 *
 * <p>What is released when: a chunk's plaintext only after its tag verified under this key, this
 * header, its index and its last-chunk flag; the final chunk only after the SHA-384 of the whole
 * ciphertext matched the descriptor's digest as well. A reader that reaches the end without an
 * {@link AttachmentIntegrityException} therefore has the whole file as sealed; one that gets the
 * exception has a prefix of it that it must discard (write to a temporary file, move it into place
 * only at the end). After a failure every read fails again. Not thread-safe.
 */
public final class AttachmentOpener extends InputStream {

  private static final int SEALED_CHUNK = AttachmentFormat.CHUNK_SIZE + AttachmentFormat.TAG_LENGTH;

  private final InputStream ciphertext;
  private final byte[] keyBytes;
  private final byte[] expectedDigest;
  private final MessageDigest digest = Streams.sha384();
  private final byte[] chunk = new byte[SEALED_CHUNK];
  private final byte[] out = new byte[AttachmentFormat.CHUNK_SIZE];
  private ChunkCipher cipher;
  private int outPosition;
  private int outLength;
  private final ChunkReader chunks;
  private long index;
  private long plaintextLength;
  private boolean lastOpened;
  private AttachmentIntegrityException failure;

  /**
   * @param ciphertext the blob as downloaded
   * @param key the descriptor's key
   * @param expectedDigest the descriptor's SHA-384 of the ciphertext
   */
  public AttachmentOpener(InputStream ciphertext, AttachmentKey key, byte[] expectedDigest) {
    this.ciphertext = Objects.requireNonNull(ciphertext, "ciphertext");
    this.chunks = new ChunkReader(this.ciphertext);
    if (expectedDigest == null || expectedDigest.length != HashFunction.SHA384.length()) {
      throw new IllegalArgumentException("the digest is a SHA-384 (48 bytes)");
    }
    this.expectedDigest = expectedDigest.clone();
    this.keyBytes = key.forOpening();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : Byte.toUnsignedInt(one[0]);
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (failure != null) {
      throw failure;
    }
    if (length == 0) {
      return 0;
    }
    while (outPosition == outLength) {
      if (lastOpened) {
        return -1;
      }
      try {
        openNextChunk();
      } catch (AttachmentIntegrityException e) {
        failure = e;
        outPosition = outLength = 0;
        Arrays.fill(out, (byte) 0);
        throw e;
      }
    }
    int n = Math.min(length, outLength - outPosition);
    System.arraycopy(out, outPosition, buffer, offset, n);
    outPosition += n;
    return n;
  }

  /** Plaintext bytes released so far: the file's size once the stream has ended. */
  public long plaintextLength() {
    return plaintextLength;
  }

  private void openNextChunk() throws IOException {
    if (cipher == null) {
      openHeader();
    }
    int n = chunks.next(chunk);
    boolean last = chunks.wasLast();
    if (n < AttachmentFormat.TAG_LENGTH) {
      throw new AttachmentIntegrityException(
          "the attachment is truncated: chunk " + index + " is shorter than its tag");
    }
    if (!last && index == AttachmentFormat.MAX_CHUNKS - 1) {
      throw new AttachmentIntegrityException("the attachment has more chunks than a file may");
    }
    digest.update(chunk, 0, n);
    try {
      outLength = cipher.open(index, last, chunk, n, out);
    } catch (AEADBadTagException e) {
      throw new AttachmentIntegrityException(
          "chunk "
              + index
              + " does not verify: the attachment was altered, reordered, truncated or extended,"
              + " or this is not its key");
    } catch (GeneralSecurityException e) {
      throw new IOException("opening chunk " + index + " failed", e);
    }
    outPosition = 0;
    if (last) {
      if (!MessageDigest.isEqual(digest.digest(), expectedDigest)) {
        Arrays.fill(out, (byte) 0);
        throw new AttachmentIntegrityException(
            "the attachment's digest is not the one its message names");
      }
      if (index > 0 && outLength == 0) {
        // The sealer never writes an empty last chunk after full ones; refuse the non-canonical.
        throw new AttachmentIntegrityException("the attachment ends in an empty chunk");
      }
      lastOpened = true;
      Arrays.fill(keyBytes, (byte) 0);
      cipher.clear();
    }
    index++;
    plaintextLength += outLength;
  }

  private void openHeader() throws IOException {
    byte[] header = new byte[AttachmentFormat.HEADER_LENGTH];
    if (Streams.readFully(ciphertext, header, 0, header.length) < header.length) {
      throw new AttachmentIntegrityException("the attachment is truncated: no complete header");
    }
    byte[] prefix = AttachmentFormat.noncePrefixOf(header);
    digest.update(header);
    try {
      cipher = new ChunkCipher(keyBytes, header, prefix);
    } catch (GeneralSecurityException e) {
      throw new IOException("the FIPS module refused AES-256-GCM", e);
    }
  }

  @Override
  public void close() throws IOException {
    Arrays.fill(keyBytes, (byte) 0);
    Arrays.fill(out, (byte) 0);
    if (cipher != null) {
      cipher.clear();
    }
    ciphertext.close();
  }
}
