package io.redoubt.protocol.crypto;

import java.util.Objects;
import org.bouncycastle.crypto.KDFCalculator;
import org.bouncycastle.crypto.fips.FipsKDF;

/**
 * HKDF (RFC 5869) from the FIPS module's own implementation (SP 800-56C): BC-FIPS offers no JCA
 * service for it, so this goes through the low-level {@code FipsKDF.HKDF_KEY_BUILDER} (Extract) and
 * {@code FipsKDF.HKDF} (Expand) API.
 *
 * <p>Extract and Expand are separate calls because HPKE's labelled variants need them separately.
 * Expand refuses more than 255 × HashLen bytes, as the RFC requires.
 */
public final class Hkdf {

  private final HashFunction hash;

  private Hkdf(HashFunction hash) {
    this.hash = hash;
  }

  /** HKDF over the given hash. */
  public static Hkdf over(HashFunction hash) {
    return new Hkdf(Objects.requireNonNull(hash));
  }

  /** The hash this HKDF uses. */
  public HashFunction hash() {
    return hash;
  }

  /**
   * HKDF-Extract. An empty salt means HashLen zero bytes (RFC 5869 §2.2). The caller owns, and
   * should zero, the returned pseudorandom key.
   */
  public byte[] extract(byte[] salt, byte[] ikm) {
    Objects.requireNonNull(ikm);
    byte[] effectiveSalt = salt == null || salt.length == 0 ? new byte[hash.length()] : salt;
    return FipsKDF.HKDF_KEY_BUILDER
        .withPrf(hash.hmac())
        .withSalt(effectiveSalt)
        .build(ikm)
        .getKey();
  }

  /**
   * HKDF-Expand to {@code length} bytes.
   *
   * @throws IllegalArgumentException when length is negative or above 255 × HashLen
   */
  public byte[] expand(byte[] prk, byte[] info, int length) {
    Objects.requireNonNull(prk);
    if (length < 0 || length > 255 * hash.length()) {
      throw new IllegalArgumentException(
          "HKDF output length must be within 0.." + 255 * hash.length() + ", got " + length);
    }
    byte[] okm = new byte[length];
    if (length == 0) {
      return okm;
    }
    FipsKDF.AgreementKDFParameters parameters = FipsKDF.HKDF.withPRF(hash.hmac()).using(prk);
    if (info != null && info.length > 0) {
      parameters = parameters.withIV(info);
    }
    KDFCalculator<FipsKDF.AgreementKDFParameters> calculator =
        new FipsKDF.AgreementOperatorFactory().createKDFCalculator(parameters);
    calculator.generateBytes(okm);
    return okm;
  }

  /** Extract then Expand; the intermediate key is zeroed. */
  public byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
    if (length < 0 || length > 255 * hash.length()) {
      throw new IllegalArgumentException(
          "HKDF output length must be within 0.." + 255 * hash.length() + ", got " + length);
    }
    byte[] prk = extract(salt, ikm);
    try {
      return expand(prk, info, length);
    } finally {
      java.util.Arrays.fill(prk, (byte) 0);
    }
  }
}
