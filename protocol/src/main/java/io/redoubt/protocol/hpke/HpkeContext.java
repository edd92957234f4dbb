package io.redoubt.protocol.hpke;

import io.redoubt.protocol.crypto.AesGcm;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * An HPKE encryption context (RFC 9180 §5.2): the AEAD key, base nonce, sequence number and
 * exporter secret from one key schedule.
 *
 * <p>Nonce discipline: the nonce of message i is base_nonce XOR i, and the sequence number only
 * moves forward, so a context never reuses a nonce. A sender context only seals and a recipient
 * context only opens, so the two ends cannot both encrypt under one key. A failed open does not
 * advance the sequence. Not thread-safe.
 */
public final class HpkeContext implements Destroyable {

  enum Role {
    SENDER,
    RECIPIENT
  }

  private final Role role;
  private final byte[] key;
  private final byte[] baseNonce;
  private final byte[] exporterSecret;
  private final Labels labels;
  private long sequence;
  private boolean destroyed;

  HpkeContext(Role role, byte[] key, byte[] baseNonce, byte[] exporterSecret, Labels labels) {
    this.role = role;
    this.key = key;
    this.baseNonce = baseNonce;
    this.exporterSecret = exporterSecret;
    this.labels = labels;
  }

  /** Seal the next message (sender contexts only). Returns ciphertext‖tag. */
  public byte[] seal(byte[] aad, byte[] plaintext) throws GeneralSecurityException {
    requireRole(Role.SENDER);
    byte[] sealed = AesGcm.seal(key, nextNonce(), aad, plaintext);
    sequence++;
    return sealed;
  }

  /**
   * Open the next message (recipient contexts only).
   *
   * @throws javax.crypto.AEADBadTagException when the ciphertext or AAD was altered
   */
  public byte[] open(byte[] aad, byte[] ciphertext) throws GeneralSecurityException {
    requireRole(Role.RECIPIENT);
    byte[] plaintext = AesGcm.open(key, nextNonce(), aad, ciphertext);
    sequence++;
    return plaintext;
  }

  /** The secret export interface: LabeledExpand(exporter_secret, "sec", context, length). */
  public byte[] export(byte[] exporterContext, int length) {
    requireLive();
    return labels.expand(exporterSecret, "sec", exporterContext, length);
  }

  @Override
  public void destroy() {
    Arrays.fill(key, (byte) 0);
    Arrays.fill(baseNonce, (byte) 0);
    Arrays.fill(exporterSecret, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "HpkeContext[" + role + ", seq=" + sequence + "]";
  }

  private byte[] nextNonce() {
    if (sequence == Long.MAX_VALUE) {
      throw new IllegalStateException("HPKE message limit reached");
    }
    byte[] nonce = baseNonce.clone();
    for (int i = 0; i < Long.BYTES; i++) {
      nonce[nonce.length - 1 - i] ^= (byte) (sequence >>> (8 * i));
    }
    return nonce;
  }

  private void requireRole(Role expected) {
    requireLive();
    if (role != expected) {
      throw new IllegalStateException("a " + role + " context cannot do that");
    }
  }

  private void requireLive() {
    if (destroyed) {
      throw new IllegalStateException("HPKE context destroyed");
    }
  }
}
