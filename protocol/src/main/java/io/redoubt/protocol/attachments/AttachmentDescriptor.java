package io.redoubt.protocol.attachments;

import io.redoubt.protocol.crypto.HashFunction;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;
import javax.security.auth.Destroyable;

/**
 * What a message says about one attached file, inside its encrypted content: where the blob is, the
 * key that opens it and the digest it must have. Only the blob id is also in the clear, in the
 * envelope header's {@code attachments}, so that the server can decide who may download it.
 *
 * @param blobId the server's id for the uploaded ciphertext
 * @param key the file's AES-256 key (zeroed by {@link #destroy})
 * @param digest SHA-384 of the whole ciphertext
 * @param size the plaintext's size in bytes
 * @param filename the file's name as the sender had it, without directories; recipients must still
 *     treat it as untrusted input
 * @param mediaType the file's media type, e.g. {@code application/pdf}
 */
public record AttachmentDescriptor(
    UUID blobId, byte[] key, byte[] digest, long size, String filename, String mediaType)
    implements Destroyable {

  /** The content type of a message whose content lists attachments. */
  public static final String CONTENT_TYPE = "application/vnd.redoubt.attachment+json";

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  public AttachmentDescriptor {
    Objects.requireNonNull(blobId, "blobId");
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(mediaType, "mediaType");
    if (key == null || key.length != AttachmentKey.LENGTH) {
      throw new IllegalArgumentException("attachment keys are " + AttachmentKey.LENGTH + " bytes");
    }
    if (digest == null || digest.length != HashFunction.SHA384.length()) {
      throw new IllegalArgumentException("the digest is a SHA-384 (48 bytes)");
    }
    if (size < 0) {
      throw new IllegalArgumentException("negative size");
    }
    key = key.clone();
    digest = digest.clone();
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  /** The key to open the blob with. */
  public AttachmentKey attachmentKey() {
    return AttachmentKey.received(key);
  }

  /** The exact size the blob must have. */
  public long ciphertextLength() {
    return AttachmentFormat.ciphertextLength(size);
  }

  /** The JSON form: ids as text, binary fields base64url without padding. */
  public Wire toWire() {
    return new Wire(
        blobId.toString(),
        ENCODER.encodeToString(key),
        ENCODER.encodeToString(digest),
        size,
        filename,
        mediaType);
  }

  @Override
  public void destroy() {
    Arrays.fill(key, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    for (byte b : key) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "AttachmentDescriptor[blobId=" + blobId + ", size=" + size + ", key=redacted]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AttachmentDescriptor that
        && blobId.equals(that.blobId)
        && Arrays.equals(key, that.key)
        && Arrays.equals(digest, that.digest)
        && size == that.size
        && filename.equals(that.filename)
        && mediaType.equals(that.mediaType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(blobId, Arrays.hashCode(digest), size, filename, mediaType);
  }

  /**
   * The descriptor as JSON carries it inside a message's content.
   *
   * <p>{@code key} is a Java string here and cannot be zeroed; decode it once and drop the wire
   * form.
   */
  public record Wire(
      String blobId, String key, String digest, long size, String filename, String mediaType) {

    /**
     * The descriptor these fields describe.
     *
     * @throws IllegalArgumentException naming the first field that is missing or malformed
     */
    public AttachmentDescriptor decode() {
      if (blobId == null || key == null || digest == null) {
        throw new IllegalArgumentException("an attachment needs blobId, key and digest");
      }
      byte[] keyBytes = DECODER.decode(key);
      try {
        return new AttachmentDescriptor(
            UUID.fromString(blobId),
            keyBytes,
            DECODER.decode(digest),
            size,
            filename == null ? "attachment" : filename,
            mediaType == null ? "application/octet-stream" : mediaType);
      } finally {
        Arrays.fill(keyBytes, (byte) 0);
      }
    }
  }
}
