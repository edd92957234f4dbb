package io.redoubt.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The per-message AES-256-GCM content key of PROTOCOL.md: fresh, 256 bits, used to seal exactly
 * once.
 *
 * <p>Nonce discipline, by construction rather than by care: a key made by {@link #generate} seals
 * one plaintext and then refuses ({@link IllegalStateException}); a key rebuilt from bytes by
 * {@link #received} (a recipient's unwrapped key) can only open. With one seal per fresh random key
 * there is never a second (key, nonce) pair; the nonce is still a fresh random 96-bit value, so
 * that even a broken random generator that repeated a key would need to repeat the nonce as well.
 *
 * <p>The lifecycle (zeroing, redaction, one sealing) is {@link SingleUseKey}'s. Not thread-safe:
 * one message, one thread.
 */
public final class MessageKey extends SingleUseKey {

  private static final String KIND = "message key";

  private MessageKey(byte[] key, boolean mayStillSeal) {
    super(key, mayStillSeal, KIND);
  }

  /** A fresh random key that may seal once. */
  public static MessageKey generate(SecureRandom random) {
    return new MessageKey(freshBytes(random), true);
  }

  /** A key a recipient unwrapped: it can open, never seal. The input array is copied. */
  public static MessageKey received(byte[] keyBytes) {
    return new MessageKey(receivedBytes(keyBytes, KIND), false);
  }

  /**
   * Seals the content; allowed once per generated key.
   *
   * @throws IllegalStateException on a second seal, on a received key, or after destroy
   */
  public SealedContent seal(byte[] plaintext, byte[] aad, SecureRandom random)
      throws GeneralSecurityException {
    byte[] key = claimForSealing();
    try {
      byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
      random.nextBytes(nonce);
      return new SealedContent(nonce, AesGcm.seal(key, nonce, aad, plaintext));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Opens content sealed under this key.
   *
   * @throws javax.crypto.AEADBadTagException when the content or its AAD was altered
   */
  public byte[] open(SealedContent sealed, byte[] aad) throws GeneralSecurityException {
    byte[] key = copy();
    try {
      return AesGcm.open(key, sealed.nonce(), aad, sealed.ciphertext());
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** A copy of the key bytes, to wrap for each recipient with HPKE. The caller zeroes it. */
  public byte[] exportForWrapping() {
    return copy();
  }
}
