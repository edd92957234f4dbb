package io.redoubt.keys;

import io.redoubt.protocol.ProtocolCurves;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The profile of the self-signed certificate of an organisation signing key that is not a CA (the
 * transparency-log key, the audit key): P-384, SHA384withECDSA, {@code cA=false}, key usage
 * digitalSignature only. The certificate is a container for the public key that clients pin (from
 * {@code /api/v1/info}); it must never be accepted as an issuer, hence the critical basic
 * constraints.
 */
public final class SigningCertificateProfile {

  private static final SecureRandom RANDOM = new SecureRandom();

  private SigningCertificateProfile() {}

  /** {@code CN=<organisation> <role>, O=<organisation>}. */
  public static X500Name subjectFor(String organisation, KeyPurpose purpose) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, organisation)
        .addRDN(BCStyle.CN, organisation + " " + purpose.role())
        .build();
  }

  /**
   * Issues the self-signed signing certificate for {@code publicKey}, signed by {@code signingKey}
   * (its own private key) through {@code signingProvider} (the HSM's provider in production).
   */
  public static X509Certificate selfSigned(
      String organisation,
      KeyPurpose purpose,
      PublicKey publicKey,
      PrivateKey signingKey,
      Provider signingProvider,
      Instant now)
      throws GeneralSecurityException {
    if (purpose == KeyPurpose.DEVICE_CA) {
      throw new IllegalArgumentException("the device CA has its own profile");
    }
    ProtocolCurves.requireP384(publicKey);
    X500Name subject = subjectFor(organisation, purpose);
    BigInteger serial = new BigInteger(127, RANDOM).setBit(0);
    try {
      var builder =
          new JcaX509v3CertificateBuilder(
              subject,
              serial,
              Date.from(now.minus(CaCertificateProfile.BACKDATE)),
              Date.from(now.plus(CaCertificateProfile.VALIDITY)),
              subject,
              publicKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(publicKey));
      var signer =
          new JcaContentSignerBuilder(CaCertificateProfile.SIGNATURE_ALGORITHM)
              .setProvider(signingProvider)
              .build(signingKey);
      return new JcaX509CertificateConverter()
          .setProvider(FipsModuleStatus.PROVIDER_NAME)
          .getCertificate(builder.build(signer));
    } catch (CertIOException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot build the " + purpose + " certificate", e);
    }
  }
}
