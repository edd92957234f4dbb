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
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The profile of the organisation's device CA certificate: P-384, SHA384withECDSA, CA with path
 * length 0 (it signs end entities only), key usage keyCertSign and cRLSign. Self-signed in the lab
 * or for an agency without its own PKI; otherwise the agency's PKI signs it from the {@link
 * #certificationRequest certification request} this profile makes.
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

  /**
   * The PKCS#10 request an agency's PKI signs to make the CA an intermediate: the CA's current
   * subject and key, so that certificates already issued keep chaining, signed by the CA key
   * through {@code caSigner} (proof of possession, made in the HSM). It asks, in an
   * extensionRequest, for the extensions of this profile and for the current SubjectKeyIdentifier,
   * which the device certificates' AuthorityKeyIdentifier names.
   */
  public static PKCS10CertificationRequest certificationRequest(
      X509Certificate current, ContentSigner caSigner) throws GeneralSecurityException {
    try {
      var extensions = new ExtensionsGenerator();
      extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      extensions.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      extensions.addExtension(
          Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(current)));
      return new JcaPKCS10CertificationRequestBuilder(
              current.getSubjectX500Principal(), current.getPublicKey())
          .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
          .build(caSigner);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException("cannot build the CA certification request", e);
    }
  }

  /**
   * The CA's key identifier: the SubjectKeyIdentifier of its certificate, or, for a certificate
   * without one, the RFC 5280 method-1 hash of its key.
   */
  public static byte[] keyIdentifier(X509Certificate ca) throws GeneralSecurityException {
    byte[] extension = ca.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (extension != null) {
      return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets())
          .getKeyIdentifier();
    }
    return new JcaX509ExtensionUtils()
        .createSubjectKeyIdentifier(ca.getPublicKey())
        .getKeyIdentifier();
  }

  /**
   * The AuthorityKeyIdentifier of whatever this CA signs: the key identifier only, never the CA
   * certificate's issuer and serial, which change when the agency's PKI re-certifies the same key.
   */
  public static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate ca)
      throws GeneralSecurityException {
    return new AuthorityKeyIdentifier(keyIdentifier(ca));
  }
}
