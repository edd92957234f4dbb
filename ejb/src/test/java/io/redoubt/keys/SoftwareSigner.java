package io.redoubt.keys;

import io.redoubt.protocol.crypto.EcdsaP384;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;

/**
 * {@link HsmSigner} with a BCFIPS P-384 key in memory. Unit tests only: production keys live in the
 * HSM ({@link io.redoubt.keys.hsm.Pkcs11Signer}).
 */
public final class SoftwareSigner implements HsmSigner {

  private final KeyPair pair;
  private final X509Certificate certificate;

  private SoftwareSigner(KeyPair pair, X509Certificate certificate) {
    this.pair = pair;
    this.certificate = certificate;
  }

  /** A fresh key and certificate for {@code purpose} (not the CA). */
  public static SoftwareSigner generate(KeyPurpose purpose) throws GeneralSecurityException {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("P-384"));
    KeyPair pair = generator.generateKeyPair();
    X509Certificate certificate =
        SigningCertificateProfile.selfSigned(
            "Unit Test",
            purpose,
            pair.getPublic(),
            pair.getPrivate(),
            Security.getProvider("BCFIPS"),
            Instant.now());
    return new SoftwareSigner(pair, certificate);
  }

  @Override
  public byte[] sign(byte[] message) {
    try {
      return EcdsaP384.sign(pair.getPrivate(), message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public X509Certificate certificate() {
    return certificate;
  }
}
