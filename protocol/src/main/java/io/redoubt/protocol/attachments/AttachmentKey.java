package io.redoubt.protocol.attachments;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * The AES-256 key of one attachment: fresh, random, 256 bits, made by the sending client and
 * travelling only inside the message that refers to the file.
 *
 * <p>Like {@link io.redoubt.protocol.crypto.MessageKey}, its nonce discipline is by construction: a
 * key made by {@link #generate} seals one file and then refuses; a key rebuilt by {@link #received}
 * only opens. The per-file random nonce prefix is a second line: even a key repeated by a broken
 * generator would need the same 56-bit prefix to repeat a nonce.
 *
 * <p>The bytes are zeroed by {@link #destroy} and never appear in {@link #toString}. Not
 * thread-safe.
 */
public final class AttachmentKey implements Destroyable {

  /** Key length in bytes. */
  public static final int LENGTH = 32;

  private final byte[] key;
  private boolean mayStillSeal;
  private boolean destroyed;

  private AttachmentKey(byte[] key, boolean mayStillSeal) {
    this.key = key;
    this.mayStillSeal = mayStillSeal;
  }

  /** A fresh random key that may seal one file. */
  public static AttachmentKey generate(SecureRandom random) {
    byte[] key = new byte[LENGTH];
    random.nextBytes(key);
    return new AttachmentKey(key, true);
  }

  /** A key from a received message: it opens, never seals. The input array is copied. */
  public static AttachmentKey received(byte[] keyBytes) {
    if (keyBytes == null || keyBytes.length != LENGTH) {
      throw new IllegalArgumentException("attachment keys are " + LENGTH + " bytes");
    }
    return new AttachmentKey(keyBytes.clone(), false);
  }

  /** A copy of the key bytes for the message's descriptor. The caller zeroes it. */
  public byte[] export() {
    requireLive();
    return key.clone();
  }

  /** The key for one sealing; a second call throws. The caller zeroes the copy. */
  byte[] forSealing() {
    requireLive();
    if (!mayStillSeal) {
      throw new IllegalStateException("an attachment key seals exactly one file");
    }
    mayStillSeal = false;
    return key.clone();
  }

  /** The key for opening. The caller zeroes the copy. */
  byte[] forOpening() {
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
    return "AttachmentKey[redacted]";
  }

  private void requireLive() {
    if (destroyed) {
      throw new IllegalStateException("attachment key already destroyed");
    }
  }
}
