package io.redoubt.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM with a 128-bit tag, as a building block for constructions that own their nonce
 * discipline: HPKE (one key schedule per sealed key, sequence-numbered nonces) and {@link
 * MessageKey} (a fresh key per message). Nothing else should call it with a caller-chosen nonce,
 * because the FIPS module does not stop key+nonce reuse.
 *
 * <p>Keys of 128, 192 and 256 bits are accepted here (HPKE's P-256 suite needs AES-128); the
 * protocol's message encryption uses 256 only. Nonces shorter than 96 bits are refused, as the
 * module does in approved mode; longer ones are legal GCM and pass through.
 */
public final class AesGcm {

  /** Tag length in bytes. */
  public static final int TAG_LENGTH = 16;

  /** The nonce length every construction in this module uses. */
  public static final int NONCE_LENGTH = 12;

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private AesGcm() {}

  /** Encrypts and returns ciphertext‖tag. */
  public static byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext)
      throws GeneralSecurityException {
    Cipher cipher = init(Cipher.ENCRYPT_MODE, key, nonce, aad);
    return cipher.doFinal(Objects.requireNonNull(plaintext));
  }

  /**
   * Decrypts ciphertext‖tag.
   *
   * @throws AEADBadTagException when the tag does not verify (no plaintext is released)
   */
  public static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext)
      throws GeneralSecurityException {
    if (ciphertext == null || ciphertext.length < TAG_LENGTH) {
      throw new AEADBadTagException("ciphertext shorter than the tag");
    }
    Cipher cipher = init(Cipher.DECRYPT_MODE, key, nonce, aad);
    return cipher.doFinal(ciphertext);
  }

  private static Cipher init(int mode, byte[] key, byte[] nonce, byte[] aad)
      throws GeneralSecurityException {
    if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
      throw new InvalidKeyException("AES keys are 128, 192 or 256 bits");
    }
    if (nonce == null || nonce.length < NONCE_LENGTH) {
      throw new InvalidAlgorithmParameterException("GCM nonces shorter than 96 bits are refused");
    }
    Cipher cipher = Cipher.getInstance(TRANSFORMATION, FipsModule.PROVIDER);
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
    if (aad != null && aad.length > 0) {
      cipher.updateAAD(aad);
    }
    return cipher;
  }
}
