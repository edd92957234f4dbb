package io.redoubt.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A stand-in for an agency's PKI in tests: a P-384 root (or a CA under it) that signs certification
 * requests, as the agency would sign Redoubt's CA request. Test code only; also used by the
 * integration tests through the test jar.
 */
public final class AgencyPki {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration VALIDITY = Duration.ofDays(30);

  private final KeyPair keys;
  private final X509Certificate certificate;
  private final List<X509Certificate> issuers;

  private AgencyPki(KeyPair keys, X509Certificate certificate, List<X509Certificate> issuers) {
    this.keys = keys;
    this.certificate = certificate;
    this.issuers = issuers;
  }

  /** A new self-signed root {@code CN=<name>, O=Agency}. */
  public static AgencyPki root(String name) throws GeneralSecurityException {
    KeyPair keys = p384();
    var subject = new X500Principal("CN=" + name + ", O=Agency");
    X509Certificate root =
        build(subject, keys.getPublic(), subject, keys, true, true, null, Instant.now(), VALIDITY);
    return new AgencyPki(keys, root, List.of());
  }

  /** A new CA {@code CN=<name>, O=Agency} under this one (an issuing CA below the root). */
  public AgencyPki subordinate(String name) throws GeneralSecurityException {
    KeyPair subKeys = p384();
    X509Certificate sub =
        build(
            new X500Principal("CN=" + name + ", O=Agency"),
            subKeys.getPublic(),
            certificate.getSubjectX500Principal(),
            keys,
            true,
            true,
            null,
            Instant.now(),
            VALIDITY);
    var chain = new ArrayList<X509Certificate>();
    chain.add(certificate);
    chain.addAll(issuers);
    return new AgencyPki(subKeys, sub, List.copyOf(chain));
  }

  /** This CA's certificate, then its issuers up to the root. */
  public List<X509Certificate> chain() {
    var chain = new ArrayList<X509Certificate>();
    chain.add(certificate);
    chain.addAll(issuers);
    return List.copyOf(chain);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Signs a CA certificate for the request, as an agency would: checks the request's signature,
   * keeps its subject and key, and copies the SubjectKeyIdentifier it asks for.
   */
  public X509Certificate certify(PKCS10CertificationRequest request)
      throws GeneralSecurityException {
    var jca = new JcaPKCS10CertificationRequest(request).setProvider("BCFIPS");
    try {
      if (!request.isSignatureValid(
          new JcaContentVerifierProviderBuilder()
              .setProvider("BCFIPS")
              .build(jca.getPublicKey()))) {
        throw new GeneralSecurityException("the request's signature does not verify");
      }
    } catch (org.bouncycastle.operator.OperatorCreationException
        | org.bouncycastle.pkcs.PKCSException e) {
      throw new GeneralSecurityException(e);
    }
    byte[] keyId = null;
    var attributes = request.getRequestedExtensions();
    if (attributes != null && attributes.getExtension(Extension.subjectKeyIdentifier) != null) {
      keyId =
          SubjectKeyIdentifier.getInstance(
                  attributes.getExtension(Extension.subjectKeyIdentifier).getParsedValue())
              .getKeyIdentifier();
    }
    X500Principal subject;
    try {
      subject = new X500Principal(request.getSubject().getEncoded("DER"));
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    return issue(subject, jca.getPublicKey(), true, keyId);
  }

  /**
   * Issues a certificate for {@code subject} and {@code key}, a CA (keyCertSign, cRLSign) or an end
   * entity (digitalSignature), with the given SubjectKeyIdentifier (null: derived from the key).
   */
  public X509Certificate issue(X500Principal subject, PublicKey key, boolean ca, byte[] keyId)
      throws GeneralSecurityException {
    return build(
        subject,
        key,
        certificate.getSubjectX500Principal(),
        keys,
        ca,
        false,
        keyId,
        Instant.now(),
        VALIDITY);
  }

  /** Like {@link #issue}, valid from {@code notBefore} for {@code validity}. */
  public X509Certificate issue(
      X500Principal subject,
      PublicKey key,
      boolean ca,
      byte[] keyId,
      Instant notBefore,
      Duration validity)
      throws GeneralSecurityException {
    return build(
        subject,
        key,
        certificate.getSubjectX500Principal(),
        keys,
        ca,
        false,
        keyId,
        notBefore,
        validity);
  }

  private static X509Certificate build(
      X500Principal subject,
      PublicKey key,
      X500Principal issuer,
      KeyPair issuerKeys,
      boolean ca,
      boolean agencyCa,
      byte[] keyId,
      Instant notBefore,
      Duration validity)
      throws GeneralSecurityException {
    try {
      var utils = new JcaX509ExtensionUtils();
      var builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(127, RANDOM).setBit(0),
              Date.from(notBefore.minusSeconds(60)),
              Date.from(notBefore.plus(validity)),
              subject,
              key);
      // The agency's own CAs have no path length limit; Redoubt's CA (ca, not an agency CA) has 0.
      BasicConstraints constraints =
          agencyCa
              ? new BasicConstraints(true)
              : ca ? new BasicConstraints(0) : new BasicConstraints(false);
      builder.addExtension(Extension.basicConstraints, true, constraints);
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          keyId == null ? utils.createSubjectKeyIdentifier(key) : new SubjectKeyIdentifier(keyId));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          utils.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
      return new JcaX509CertificateConverter()
          .setProvider("BCFIPS")
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA384withECDSA")
                      .setProvider("BCFIPS")
                      .build(issuerKeys.getPrivate())));
    } catch (org.bouncycastle.cert.CertIOException
        | org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** A fresh BCFIPS P-384 key pair. */
  public static KeyPair p384() throws GeneralSecurityException {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("P-384"));
    return generator.generateKeyPair();
  }

  /** The key that signs this CA's certificates; for tests that forge or compare. */
  public PrivateKey privateKey() {
    return keys.getPrivate();
  }

  /** The SubjectKeyIdentifier of {@code certificate}, or null. */
  public static byte[] keyIdentifier(X509Certificate certificate) {
    byte[] value = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    return value == null
        ? null
        : SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(value).getOctets())
            .getKeyIdentifier();
  }
}
