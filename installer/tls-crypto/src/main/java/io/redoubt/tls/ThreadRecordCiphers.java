package io.redoubt.tls;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;

/**
 * AES-GCM record protection for the connections of one TLS context, with the JCA cipher objects
 * held per thread instead of per connection.
 *
 * <p>Bouncy Castle's JCA TLS crypto gives every connection two {@link Cipher}s of its own, one per
 * direction, and keeps them for the connection's life: about 2.6 KB each in the FIPS provider,
 * whether or not the connection ever sends a record, so about 5 KB of every idle socket. Yet
 * nothing in them carries from one record to the next: Bouncy Castle initialises the cipher with
 * the connection's key and the record's nonce before every record (GCM allows no other use), which
 * rebuilds the key schedule each time. Here a connection keeps only its key and the next record's
 * nonce; the cipher that does the work is the calling thread's, initialised for that record as
 * Bouncy Castle would, so the work per record is the same and a socket costs no cipher at all
 * between records.
 *
 * <p>A thread's cipher keeps the key schedule of the last record it protected until its next one,
 * as a per-connection cipher kept its connection's until the connection was collected; both are in
 * server memory, beside the TLS keys themselves.
 */
final class ThreadRecordCiphers {

  /**
   * The only AEAD transformation the server's cipher suites use; others stay with Bouncy Castle.
   */
  static final String AES_GCM = "AES/GCM/NoPadding";

  private final ThreadLocal<Cipher> encrypting;
  private final ThreadLocal<Cipher> decrypting;
  private final SecureRandom random;

  /**
   * @param helper the FIPS provider's helper, which makes the ciphers
   * @param random what Bouncy Castle passes to every {@code Cipher.init}: the context's key source
   */
  ThreadRecordCiphers(JcaJceHelper helper, SecureRandom random) {
    this.encrypting = ThreadLocal.withInitial(() -> newCipher(helper));
    this.decrypting = ThreadLocal.withInitial(() -> newCipher(helper));
    this.random = random;
  }

  /** One direction of one connection: its key, the next record's nonce and the tag length. */
  TlsAEADCipherImpl forConnection(int keySize, boolean isEncrypting) {
    return new RecordCipher(keySize, isEncrypting);
  }

  private static Cipher newCipher(JcaJceHelper helper) {
    try {
      return helper.createCipher(AES_GCM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the FIPS provider offers no " + AES_GCM, e);
    }
  }

  /**
   * Keeps Bouncy Castle's contract: {@code init} before each record, then {@code doFinal}; a
   * failure is an {@link IllegalStateException}, which the record layer turns into an alert, as it
   * does for Bouncy Castle's own implementation. The thread's cipher is initialised and used within
   * {@code doFinal}, so that nothing another connection does on the same thread can come between.
   */
  private final class RecordCipher implements TlsAEADCipherImpl {

    private final int keySize;
    private final int mode;
    private SecretKey key;
    private GCMParameterSpec record;

    RecordCipher(int keySize, boolean isEncrypting) {
      this.keySize = keySize;
      this.mode = isEncrypting ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
    }

    @Override
    public void setKey(byte[] keyBytes, int keyOff, int keyLen) {
      if (keyLen != keySize) {
        throw new IllegalStateException(
            "a " + keyLen + "-byte key for a " + keySize + "-byte cipher");
      }
      key = new SecretKeySpec(keyBytes, keyOff, keyLen, "AES");
    }

    @Override
    public void init(byte[] nonce, int macSize) {
      record = new GCMParameterSpec(macSize * 8, nonce);
    }

    /** What GCM gives for a whole record: the tag added, or taken off. */
    @Override
    public int getOutputSize(int inputLength) {
      int tagLength = pendingRecord().getTLen() / 8;
      return mode == Cipher.ENCRYPT_MODE
          ? inputLength + tagLength
          : Math.max(inputLength - tagLength, 0);
    }

    @Override
    public int doFinal(
        byte[] additionalData,
        byte[] input,
        int inputOffset,
        int inputLength,
        byte[] output,
        int outputOffset) {
      GCMParameterSpec parameters = pendingRecord();
      // A record's nonce serves once, whatever happens: the next record must call init again.
      record = null;
      Cipher cipher = (mode == Cipher.ENCRYPT_MODE ? encrypting : decrypting).get();
      try {
        cipher.init(mode, key, parameters, random);
        if (additionalData != null && additionalData.length > 0) {
          cipher.updateAAD(additionalData);
        }
        return cipher.doFinal(input, inputOffset, inputLength, output, outputOffset);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }

    private GCMParameterSpec pendingRecord() {
      if (key == null || record == null) {
        throw new IllegalStateException("record cipher used without a key and a nonce");
      }
      return record;
    }
  }
}
