package io.redoubt.keys;

import io.redoubt.protocol.ProtocolCurves;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
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
 * The profile of the organisation's self-signed device CA certificate (the lab, or an agency
 * without its own PKI): P-384, SHA384withECDSA, CA with path length 0 (it signs end entities only),
 * key usage keyCertSign and cRLSign.
 */
public final class CaCertificateProfile {

  /** Signature algorithm of every certificate Redoubt issues (CNSA 1.0). */
  public static final String SIGNATURE_ALGORITHM = "SHA384withECDSA";

  /** A self-signed CA lives long; agencies replace it through the key-rotation procedure. */
  static final Duration VALIDITY = Duration.ofDays(10 * 365);

  /** Tolerates clocks of clients that run a little behind the server's. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();

  private CaCertificateProfile() {}

  /** The CA's distinguished name: {@code CN=<organisation> Device CA, O=<organisation>}. */
  public static X500Name subjectFor(String organisation) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, organisation)
        .addRDN(BCStyle.CN, organisation + " Device CA")
        .build();
  }

  /**
   * Issues the self-signed CA certificate for {@code publicKey}, signed by {@code signingKey}
   * through {@code signingProvider} (the HSM's provider in production).
   */
  public static X509Certificate selfSigned(
      String organisation,
      PublicKey publicKey,
      PrivateKey signingKey,
      Provider signingProvider,
      Instant now)
      throws GeneralSecurityException {
    ProtocolCurves.requireP384(publicKey);
    X500Name subject = subjectFor(organisation);
    // 127 random bits, positive and non-zero: RFC 5280 serials, unpredictable to a requester.
    BigInteger serial = new BigInteger(127, RANDOM).setBit(0);
    try {
      var builder =
          new JcaX509v3CertificateBuilder(
              subject,
              serial,
              Date.from(now.minus(BACKDATE)),
              Date.from(now.plus(VALIDITY)),
              subject,
              publicKey);
      var extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey));
      var signer =
          new JcaContentSignerBuilder(SIGNATURE_ALGORITHM)
              .setProvider(signingProvider)
              .build(signingKey);
      return new JcaX509CertificateConverter()
          .setProvider(FipsModuleStatus.PROVIDER_NAME)
          .getCertificate(builder.build(signer));
    } catch (CertIOException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot build the CA certificate", e);
    }
  }
}
