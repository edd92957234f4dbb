package io.redoubt.protocol.attachments;

import io.redoubt.protocol.crypto.FipsModule;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over one chunk at a time, with the STREAM nonce of {@link AttachmentFormat} and the
 * file header as every chunk's AAD. One {@link Cipher} is initialised afresh per chunk (its nonce
 * changes), so a file of any length costs the same memory.
 */
final class ChunkCipher {

  private final Cipher cipher;
  private final SecretKeySpec key;
  private final byte[] header;
  private final byte[] noncePrefix;
  private final byte[] nonce = new byte[AttachmentFormat.NONCE_LENGTH];

  /** {@code keyBytes} is copied into the key spec; the caller zeroes its own array. */
  ChunkCipher(byte[] keyBytes, byte[] header, byte[] noncePrefix) throws GeneralSecurityException {
    if (keyBytes.length != AttachmentKey.LENGTH) {
      throw new IllegalArgumentException("attachment keys are " + AttachmentKey.LENGTH + " bytes");
    }
    this.cipher = Cipher.getInstance("AES/GCM/NoPadding", FipsModule.PROVIDER);
    this.key = new SecretKeySpec(keyBytes, "AES");
    this.header = header.clone();
    this.noncePrefix = noncePrefix.clone();
  }

  /** Seals {@code length} bytes of {@code in} as chunk {@code index} into {@code out}. */
  int seal(long index, boolean last, byte[] in, int length, byte[] out)
      throws GeneralSecurityException {
    init(Cipher.ENCRYPT_MODE, index, last);
    return cipher.doFinal(in, 0, length, out, 0);
  }

  /**
   * Opens chunk {@code index} ({@code length} bytes of ciphertext‖tag) into {@code out}.
   *
   * @throws AEADBadTagException when it was not sealed under this key, header, index and flag
   */
  int open(long index, boolean last, byte[] in, int length, byte[] out)
      throws GeneralSecurityException {
    init(Cipher.DECRYPT_MODE, index, last);
    return cipher.doFinal(in, 0, length, out, 0);
  }

  private void init(int mode, long index, boolean last) throws GeneralSecurityException {
    AttachmentFormat.nonce(noncePrefix, index, last, nonce);
    cipher.init(mode, key, new GCMParameterSpec(AttachmentFormat.TAG_LENGTH * 8, nonce));
    cipher.updateAAD(header);
  }

  /** Zeroes what this object holds of its own (the JDK's key spec cannot be destroyed). */
  void clear() {
    Arrays.fill(nonce, (byte) 0);
  }
}
