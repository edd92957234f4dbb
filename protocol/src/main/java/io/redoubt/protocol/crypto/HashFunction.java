package io.redoubt.protocol.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import org.bouncycastle.crypto.fips.FipsKDF;

/**
 * The SHA-2 hash functions the constructions here are parameterised by, with the names each layer
 * of the FIPS module knows them by. The protocol itself uses {@link #SHA384} only; SHA-256 and
 * SHA-512 exist for the RFC 9180 and Certificate Transparency test suites.
 */
public enum HashFunction {
  SHA256("SHA-256", 32, FipsKDF.AgreementKDFPRF.SHA256_HMAC),
  SHA384("SHA-384", 48, FipsKDF.AgreementKDFPRF.SHA384_HMAC),
  SHA512("SHA-512", 64, FipsKDF.AgreementKDFPRF.SHA512_HMAC);

  private final String jcaName;
  private final int length;
  private final FipsKDF.AgreementKDFPRF hmac;

  HashFunction(String jcaName, int length, FipsKDF.AgreementKDFPRF hmac) {
    this.jcaName = jcaName;
    this.length = length;
    this.hmac = hmac;
  }

  /** The JCA {@code MessageDigest} name. */
  public String jcaName() {
    return jcaName;
  }

  /** Output length in bytes. */
  public int length() {
    return length;
  }

  /** The digest of the concatenation of {@code parts}, computed by the FIPS module. */
  public byte[] digest(byte[]... parts) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance(jcaName, FipsModule.PROVIDER);
    } catch (NoSuchAlgorithmException | NoSuchProviderException e) {
      throw new IllegalStateException("the FIPS provider lacks " + jcaName, e);
    }
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  FipsKDF.AgreementKDFPRF hmac() {
    return hmac;
  }
}
