package io.redoubt.protocol.attachments;

import io.redoubt.protocol.crypto.SingleUseKey;
import java.security.SecureRandom;

/**
 * The AES-256 key of one attachment: fresh, random, 256 bits, made by the sending client and
 * travelling only inside the message that refers to the file.
 *
 * <p>Like {@link io.redoubt.protocol.crypto.MessageKey}, its nonce discipline is by construction: a
 * key made by {@link #generate} seals one file and then refuses; a key rebuilt by {@link #received}
 * only opens. The per-file random nonce prefix is a second line: even a key repeated by a broken
 * generator would need the same 56-bit prefix to repeat a nonce.
 *
 * <p>The lifecycle (zeroing, redaction, one sealing) is {@link SingleUseKey}'s. Not thread-safe.
 */
public final class AttachmentKey extends SingleUseKey {

  private static final String KIND = "attachment key";

  private AttachmentKey(byte[] key, boolean mayStillSeal) {
    super(key, mayStillSeal, KIND);
  }

  /** A fresh random key that may seal one file. */
  public static AttachmentKey generate(SecureRandom random) {
    return new AttachmentKey(freshBytes(random), true);
  }

  /** A key from a received message: it opens, never seals. The input array is copied. */
  public static AttachmentKey received(byte[] keyBytes) {
    return new AttachmentKey(receivedBytes(keyBytes, KIND), false);
  }

  /** A copy of the key bytes for the message's descriptor. The caller zeroes it. */
  public byte[] export() {
    return copy();
  }

  /** The key for one sealing; a second call throws. The caller zeroes the copy. */
  byte[] forSealing() {
    return claimForSealing();
  }

  /** The key for opening. The caller zeroes the copy. */
  byte[] forOpening() {
    return copy();
  }
}
