package io.redoubt.protocol.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * A 256-bit AES key whose nonce discipline holds by construction: a key made fresh may be handed
 * out for sealing exactly once and then refuses; a key rebuilt from received bytes never seals, it
 * only opens. With one sealing per fresh random key there is never a second (key, nonce) pair,
 * whatever the nonces are.
 *
 * <p>The message content key ({@link MessageKey}) and the attachment file key ({@code
 * AttachmentKey}) are two types on this one lifecycle, so that neither can be passed where the
 * other is meant. The bytes are zeroed by {@link #destroy} and never appear in {@link #toString} or
 * in exception messages. Not thread-safe: one message or file, one thread.
 */
public abstract class SingleUseKey implements Destroyable {

  /** Key length in bytes. */
  public static final int LENGTH = 32;

  private final byte[] key;
  private final String kind;
  private boolean mayStillSeal;
  private boolean destroyed;

  /**
   * @param key the key bytes, owned (not copied) by the new key
   * @param mayStillSeal true for a fresh key, false for one rebuilt from received bytes
   * @param kind what the key is for, in messages, e.g. "message key"
   */
  protected SingleUseKey(byte[] key, boolean mayStillSeal, String kind) {
    this.key = key;
    this.mayStillSeal = mayStillSeal;
    this.kind = kind;
  }

  /** Fresh random key bytes for a subclass's {@code generate}. */
  protected static byte[] freshBytes(SecureRandom random) {
    byte[] key = new byte[LENGTH];
    random.nextBytes(key);
    return key;
  }

  /**
   * A copy of received key bytes for a subclass's {@code received}.
   *
   * @throws IllegalArgumentException when the bytes are missing or not {@link #LENGTH} long
   */
  protected static byte[] receivedBytes(byte[] keyBytes, String kind) {
    if (keyBytes == null || keyBytes.length != LENGTH) {
      throw new IllegalArgumentException(kind + "s are " + LENGTH + " bytes");
    }
    return keyBytes.clone();
  }

  /**
   * The key bytes for the one sealing this key may do; the caller zeroes the copy.
   *
   * @throws IllegalStateException on a second call, on a received key, or after destroy
   */
  protected final byte[] claimForSealing() {
    requireLive();
    if (!mayStillSeal) {
      throw new IllegalStateException("a " + kind + " seals exactly once");
    }
    mayStillSeal = false;
    return key.clone();
  }

  /**
   * A copy of the key bytes (for opening, or to hand the key on inside a sealed message); the
   * caller zeroes it.
   *
   * @throws IllegalStateException after destroy
   */
  protected final byte[] copy() {
    requireLive();
    return key.clone();
  }

  @Override
  public final void destroy() {
    Arrays.fill(key, (byte) 0);
    destroyed = true;
  }

  @Override
  public final boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public final String toString() {
    return getClass().getSimpleName() + "[redacted]";
  }

  private void requireLive() {
    if (destroyed) {
      throw new IllegalStateException(kind + " already destroyed");
    }
  }
}
