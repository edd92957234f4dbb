package io.redoubt.protocol.attachments;

/**
 * What sealing a file produced, known once its last ciphertext byte was read.
 *
 * @param plaintextLength the file's size: the descriptor's {@code size}
 * @param ciphertextLength the blob's size, {@link AttachmentFormat#ciphertextLength} of the above
 * @param digest SHA-384 of the whole ciphertext, header included: the descriptor's {@code digest}
 */
public record SealedAttachment(long plaintextLength, long ciphertextLength, byte[] digest) {

  public SealedAttachment {
    digest = digest.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }
}
