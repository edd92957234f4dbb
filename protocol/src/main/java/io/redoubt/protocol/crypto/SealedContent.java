package io.redoubt.protocol.crypto;

import java.util.Arrays;

/**
 * Message content sealed under a {@link MessageKey}: the random 96-bit nonce and ciphertext‖tag.
 * Neither is secret. Arrays are copied in and out so a holder cannot change a sealed value.
 */
public final class SealedContent {

  private final byte[] nonce;
  private final byte[] ciphertext;

  /** Wraps a nonce and ciphertext received from a peer. */
  public SealedContent(byte[] nonce, byte[] ciphertext) {
    if (nonce == null || nonce.length != AesGcm.NONCE_LENGTH) {
      throw new IllegalArgumentException("content nonces are " + AesGcm.NONCE_LENGTH + " bytes");
    }
    if (ciphertext == null || ciphertext.length < AesGcm.TAG_LENGTH) {
      throw new IllegalArgumentException("ciphertext shorter than the GCM tag");
    }
    this.nonce = nonce.clone();
    this.ciphertext = ciphertext.clone();
  }

  public byte[] nonce() {
    return nonce.clone();
  }

  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SealedContent that
        && Arrays.equals(nonce, that.nonce)
        && Arrays.equals(ciphertext, that.ciphertext);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(nonce) + Arrays.hashCode(ciphertext);
  }

  @Override
  public String toString() {
    return "SealedContent[" + ciphertext.length + " bytes]";
  }
}
