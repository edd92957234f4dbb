package io.redoubt.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;

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
 * <p>The key bytes are zeroed by {@link #destroy}; they never appear in {@link #toString} or in
 * exception messages. Not thread-safe: one message, one thread.
 */
public final class MessageKey implements Destroyable {

  /** Key length in bytes. */
  public static final int LENGTH = 32;

  private final byte[] key;
  private boolean mayStillSeal;
  private boolean destroyed;

  private MessageKey(byte[] key, boolean mayStillSeal) {
    this.key = key;
    this.mayStillSeal = mayStillSeal;
  }

  /** A fresh random key that may seal once. */
  public static MessageKey generate(SecureRandom random) {
    byte[] key = new byte[LENGTH];
    random.nextBytes(key);
    return new MessageKey(key, true);
  }

  /** A key a recipient unwrapped: it can open, never seal. The input array is copied. */
  public static MessageKey received(byte[] keyBytes) {
    if (keyBytes == null || keyBytes.length != LENGTH) {
      throw new IllegalArgumentException("message keys are " + LENGTH + " bytes");
    }
    return new MessageKey(keyBytes.clone(), false);
  }

  /**
   * Seals the content; allowed once per generated key.
   *
   * @throws IllegalStateException on a second seal, on a received key, or after destroy
   */
  public SealedContent seal(byte[] plaintext, byte[] aad, SecureRandom random)
      throws GeneralSecurityException {
    requireLive();
    if (!mayStillSeal) {
      throw new IllegalStateException("a message key seals exactly one message");
    }
    mayStillSeal = false;
    byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
    random.nextBytes(nonce);
    return new SealedContent(nonce, AesGcm.seal(key, nonce, aad, plaintext));
  }

  /**
   * Opens content sealed under this key.
   *
   * @throws javax.crypto.AEADBadTagException when the content or its AAD was altered
   */
  public byte[] open(SealedContent sealed, byte[] aad) throws GeneralSecurityException {
    requireLive();
    return AesGcm.open(key, sealed.nonce(), aad, sealed.ciphertext());
  }

  /** A copy of the key bytes, to wrap for each recipient with HPKE. The caller zeroes it. */
  public byte[] exportForWrapping() {
    requireLive();
    return key.clone();
  }

  @Override
  public void destroy() {
    Arrays.fill(key, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "MessageKey[redacted]";
  }

  private void requireLive() {
    if (destroyed) {
      throw new IllegalStateException("message key already destroyed");
    }
  }
}
