package io.redoubt.client.trust;

import io.redoubt.protocol.crypto.FipsModule;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/**
 * Checks the organisation CA's revocation list ({@code GET /api/v1/revocations}, see {@code
 * RedoubtClient#revocationList}) and a certificate against it. Pure: the caller supplies the list,
 * the CA certificate it pinned from {@code /api/v1/info} and the time.
 *
 * <p>A list is trusted when it is an X.509 v2 CRL issued under the CA's name, names the CA's key
 * identifier, is signed by the CA's key (SHA384withECDSA, through BCFIPS), carries a CRL number,
 * and is current: {@code thisUpdate} not in the future (beyond {@link #CLOCK_SKEW}) and {@code
 * nextUpdate} not passed. A client should also keep the highest CRL number it has seen and pass it
 * in, so that a replayed older list (which would hide a newer revocation) is refused.
 *
 * <pre>{@code
 * RevocationCheck.Verified crl = RevocationCheck.verify(client.revocationList(), ca, now, lastSeen);
 * if (crl.isRevoked(peerCertificate)) { refuse the peer }
 * lastSeen = crl.number();
 * }</pre>
 */
public final class RevocationCheck {

  /** How far a server's clock may run ahead of the client's. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private static final String SHA384_WITH_ECDSA = "1.2.840.10045.4.3.3";

  private RevocationCheck() {}

  /** A revocation list that passed {@link #verify}. */
  public static final class Verified {
    private final X509CRL crl;
    private final BigInteger number;

    private Verified(X509CRL crl, BigInteger number) {
      this.crl = crl;
      this.number = number;
    }

    /** The CRL number; keep the highest seen and pass it to the next {@link #verify}. */
    public BigInteger number() {
      return number;
    }

    public Instant thisUpdate() {
      return crl.getThisUpdate().toInstant();
    }

    public Instant nextUpdate() {
      return crl.getNextUpdate().toInstant();
    }

    /**
     * True when {@code certificate} is on the list.
     *
     * @throws IllegalArgumentException when the certificate is not from this list's CA, about which
     *     the list can say nothing
     */
    public boolean isRevoked(X509Certificate certificate) {
      if (!certificate.getIssuerX500Principal().equals(crl.getIssuerX500Principal())) {
        throw new IllegalArgumentException(
            "the certificate is issued by "
                + certificate.getIssuerX500Principal().getName()
                + ", not by the list's CA "
                + crl.getIssuerX500Principal().getName());
      }
      return crl.getRevokedCertificate(certificate.getSerialNumber()) != null;
    }
  }

  /**
   * Parses a DER CRL and {@link #verify(X509CRL, X509Certificate, Instant, BigInteger) verifies}
   * it.
   */
  public static Verified verify(
      byte[] der, X509Certificate ca, Instant now, BigInteger highestNumberSeen)
      throws UntrustedRevocationListException {
    X509CRL crl;
    try {
      crl =
          (X509CRL)
              CertificateFactory.getInstance("X.509", FipsModule.PROVIDER)
                  .generateCRL(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new UntrustedRevocationListException("not a DER X.509 CRL", e);
    }
    return verify(crl, ca, now, highestNumberSeen);
  }

  /**
   * Verifies {@code crl} against the organisation's {@code ca} certificate at {@code now}.
   *
   * @param highestNumberSeen the highest CRL number this client accepted before, or null
   * @throws UntrustedRevocationListException naming the check that failed
   */
  public static Verified verify(
      X509CRL crl, X509Certificate ca, Instant now, BigInteger highestNumberSeen)
      throws UntrustedRevocationListException {
    if (crl.getVersion() != 2) {
      throw new UntrustedRevocationListException("not an X.509 v2 CRL");
    }
    if (!crl.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      throw new UntrustedRevocationListException(
          "the list is issued by "
              + crl.getIssuerX500Principal().getName()
              + ", not by the CA "
              + ca.getSubjectX500Principal().getName());
    }
    if (!SHA384_WITH_ECDSA.equals(crl.getSigAlgOID())) {
      throw new UntrustedRevocationListException(
          "the list is signed with " + crl.getSigAlgName() + ", not SHA384withECDSA");
    }
    requireCaKeyIdentifier(crl, ca);
    try {
      crl.verify(ca.getPublicKey(), FipsModule.PROVIDER);
    } catch (GeneralSecurityException e) {
      throw new UntrustedRevocationListException(
          "the list's signature does not verify with the CA's key", e);
    }
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    if (thisUpdate.isAfter(now.plus(CLOCK_SKEW))) {
      throw new UntrustedRevocationListException(
          "the list is dated " + thisUpdate + ", in the future (check this device's clock)");
    }
    if (crl.getNextUpdate() == null) {
      throw new UntrustedRevocationListException("the list has no nextUpdate");
    }
    Instant nextUpdate = crl.getNextUpdate().toInstant();
    if (!now.isBefore(nextUpdate)) {
      throw new UntrustedRevocationListException(
          "the list expired at " + nextUpdate + ": fetch a fresh one");
    }
    BigInteger number = number(crl);
    if (highestNumberSeen != null && number.compareTo(highestNumberSeen) < 0) {
      throw new UntrustedRevocationListException(
          "the list is number " + number + ", older than number " + highestNumberSeen + " seen");
    }
    return new Verified(crl, number);
  }

  private static BigInteger number(X509CRL crl) throws UntrustedRevocationListException {
    byte[] extension = crl.getExtensionValue(Extension.cRLNumber.getId());
    if (extension == null) {
      throw new UntrustedRevocationListException("the list has no CRL number");
    }
    return ASN1Integer.getInstance(ASN1OctetString.getInstance(extension).getOctets())
        .getPositiveValue();
  }

  /**
   * The list must name the CA's key, so that a list made by another key under the same name is
   * refused before its signature is even tried.
   */
  private static void requireCaKeyIdentifier(X509CRL crl, X509Certificate ca)
      throws UntrustedRevocationListException {
    byte[] authority = crl.getExtensionValue(Extension.authorityKeyIdentifier.getId());
    byte[] subject = ca.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (authority == null) {
      throw new UntrustedRevocationListException("the list has no AuthorityKeyIdentifier");
    }
    if (subject == null) {
      return; // the CA certificate names no key identifier; the signature check decides
    }
    byte[] listKeyId =
        AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(authority).getOctets())
            .getKeyIdentifier();
    byte[] caKeyId =
        SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(subject).getOctets())
            .getKeyIdentifier();
    if (listKeyId == null || !MessageDigest.isEqual(listKeyId, caKeyId)) {
      throw new UntrustedRevocationListException("the list names another key than the CA's");
    }
  }
}
