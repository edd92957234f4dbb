package io.redoubt.keys;

import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.ProtocolCurves;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Checks a certificate chain offered to become the device CA's: the agency's PKI signed the CA's
 * certification request, and the administrator imports what came back. Pure: no container, no HSM;
 * the caller passes the CA's current certificate.
 *
 * <p>Accepted is a chain whose first certificate certifies the CA's own key under the CA's own name
 * and SubjectKeyIdentifier (so that every device certificate already issued keeps chaining to it),
 * is a CA allowed to sign certificates and CRLs, and which validates with PKIX to its last
 * certificate, a self-signed root; every key P-384 and every signature SHA384withECDSA. A
 * one-certificate chain must be self-signed by the CA key: that is how an installation returns to
 * its self-signed CA certificate.
 */
public final class CaCertificateChains {

  /** A chain from the device CA up to an agency root; no real PKI is deeper. */
  public static final int MAX_LENGTH = 8;

  /** A PEM chain of {@link #MAX_LENGTH} P-384 certificates is far below this. */
  public static final int MAX_PEM_LENGTH = 64 * 1024;

  private static final String SHA384_WITH_ECDSA = "1.2.840.10045.4.3.3";
  private static final int KEY_CERT_SIGN = 5;
  private static final int CRL_SIGN = 6;

  private CaCertificateChains() {}

  /** The certificates of a PEM text, in order. */
  public static List<X509Certificate> parsePem(String pem) throws InvalidCaCertificateException {
    if (pem == null || pem.isBlank()) {
      throw new InvalidCaCertificateException("no certificate was sent");
    }
    if (pem.length() > MAX_PEM_LENGTH) {
      throw new InvalidCaCertificateException(
          "the chain is larger than " + MAX_PEM_LENGTH + " characters");
    }
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new InvalidCaCertificateException("no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    try {
      return CertificateFactory.getInstance("X.509", FipsModuleStatus.PROVIDER_NAME)
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
          .stream()
          .map(X509Certificate.class::cast)
          .toList();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InvalidCaCertificateException("the PEM text is not a list of certificates", e);
    }
  }

  /**
   * Checks {@code chain} (the new CA certificate first, then its issuers up to and including the
   * root) against the CA's {@code current} certificate at {@code now}.
   *
   * @return the chain, unchanged, once every check passed
   * @throws InvalidCaCertificateException naming the first check that failed
   */
  public static List<X509Certificate> checked(
      List<X509Certificate> chain, X509Certificate current, Instant now)
      throws InvalidCaCertificateException {
    if (chain.isEmpty()) {
      throw new InvalidCaCertificateException("no certificate was sent");
    }
    if (chain.size() > MAX_LENGTH) {
      throw new InvalidCaCertificateException(
          "the chain has " + chain.size() + " certificates, more than " + MAX_LENGTH);
    }
    for (int i = 0; i < chain.size(); i++) {
      requireSuite(chain.get(i), i);
    }
    X509Certificate ca = chain.get(0);
    if (!MessageDigest.isEqual(
        ca.getPublicKey().getEncoded(), current.getPublicKey().getEncoded())) {
      throw new InvalidCaCertificateException(
          "the first certificate is for another key than the CA key in the HSM"
              + " (make it from the request of GET /api/v1/admin/ca/certification-request)");
    }
    if (!ca.getSubjectX500Principal().equals(current.getSubjectX500Principal())) {
      throw new InvalidCaCertificateException(
          "the certificate's subject is "
              + ca.getSubjectX500Principal().getName()
              + ", not the CA's "
              + current.getSubjectX500Principal().getName());
    }
    if (ca.getBasicConstraints() < 0) {
      throw new InvalidCaCertificateException(
          "the certificate is not a CA certificate (basicConstraints cA=true is missing)");
    }
    boolean[] usage = ca.getKeyUsage();
    if (usage == null || !usage[KEY_CERT_SIGN] || !usage[CRL_SIGN]) {
      throw new InvalidCaCertificateException(
          "the certificate's key usage must include keyCertSign and cRLSign");
    }
    byte[] currentKeyId = current.getExtensionValue("2.5.29.14");
    if (currentKeyId != null && !Arrays.equals(currentKeyId, ca.getExtensionValue("2.5.29.14"))) {
      throw new InvalidCaCertificateException(
          "the certificate's SubjectKeyIdentifier differs from the CA's: device certificates"
              + " already issued would no longer chain to it");
    }
    X509Certificate root = chain.get(chain.size() - 1);
    if (!isSelfSigned(root)) {
      throw new InvalidCaCertificateException(
          "the last certificate ("
              + root.getSubjectX500Principal().getName()
              + ") is not a self-signed root: send the whole chain up to the root");
    }
    validate(chain, root, now);
    return chain;
  }

  private static void requireSuite(X509Certificate certificate, int position)
      throws InvalidCaCertificateException {
    try {
      ProtocolCurves.requireP384(certificate.getPublicKey());
    } catch (DisallowedKeyException e) {
      throw new InvalidCaCertificateException(
          "certificate " + (position + 1) + " of the chain is not for an EC P-384 key", e);
    }
    if (!SHA384_WITH_ECDSA.equals(certificate.getSigAlgOID())) {
      throw new InvalidCaCertificateException(
          "certificate "
              + (position + 1)
              + " of the chain is signed with "
              + certificate.getSigAlgName()
              + ", not SHA384withECDSA");
    }
  }

  private static boolean isSelfSigned(X509Certificate certificate) {
    if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
      return false;
    }
    try {
      certificate.verify(certificate.getPublicKey(), FipsModuleStatus.PROVIDER_NAME);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * PKIX (RFC 5280 6.1) with the root as the only trust anchor, revocation checking off: the
   * agency's revocation service is not this server's to reach, and the administrator importing the
   * chain has just received it from the agency.
   */
  private static void validate(List<X509Certificate> chain, X509Certificate root, Instant now)
      throws InvalidCaCertificateException {
    try {
      if (chain.size() == 1) {
        root.checkValidity(Date.from(now));
        return;
      }
      var parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(now));
      CertPathValidator.getInstance("PKIX", FipsModuleStatus.PROVIDER_NAME)
          .validate(
              CertificateFactory.getInstance("X.509", FipsModuleStatus.PROVIDER_NAME)
                  .generateCertPath(chain.subList(0, chain.size() - 1)),
              parameters);
    } catch (CertPathValidatorException e) {
      String where = e.getIndex() >= 0 ? " at certificate " + (e.getIndex() + 1) : "";
      throw new InvalidCaCertificateException(
          "the chain does not validate to its root" + where + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new InvalidCaCertificateException(
          "the chain does not validate to its root: " + e.getMessage(), e);
    }
  }
}
