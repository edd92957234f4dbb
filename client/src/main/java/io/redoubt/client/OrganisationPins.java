package io.redoubt.client;

import io.redoubt.protocol.api.InfoResponse;
import io.redoubt.protocol.crypto.FipsModule;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The two organisation certificates a profile pins at first contact (sign-in) and checks everything
 * against afterwards: the device CA, which vouches for device keys, and the transparency-log
 * certificate, whose key signs tree heads. Pinning both means a server that later presents another
 * CA or another log key is refused rather than believed.
 *
 * @param caChainPem the device CA's chain as {@code /api/v1/info} served it, issuing CA first
 * @param logCertificatePem the transparency-log key's certificate
 */
public record OrganisationPins(String caChainPem, String logCertificatePem) {

  /**
   * The pins an {@code /api/v1/info} answer offers, after checking that the fingerprints it
   * declares match the certificates it carries.
   *
   * @throws GeneralSecurityException when a certificate is missing, malformed or its fingerprint
   *     does not match
   */
  public static OrganisationPins fromInfo(InfoResponse info) throws GeneralSecurityException {
    if (info.caCertificateChainPem() == null || info.transparencyLogCertificatePem() == null) {
      throw new GeneralSecurityException(
          "the server does not publish its device CA and transparency-log certificates");
    }
    OrganisationPins pins =
        new OrganisationPins(info.caCertificateChainPem(), info.transparencyLogCertificatePem());
    List<X509Certificate> chain = certificates(pins.caChainPem);
    List<String> declared = info.caFingerprintsSha384();
    if (declared == null
        || declared.isEmpty()
        || !declared.get(0).equals(sha384Hex(chain.get(0)))) {
      throw new GeneralSecurityException(
          "the device CA certificate does not match the fingerprint the server declares");
    }
    if (!sha384Hex(pins.logCertificate()).equals(info.transparencyLogFingerprintSha384())) {
      throw new GeneralSecurityException(
          "the transparency-log certificate does not match the fingerprint the server declares");
    }
    return pins;
  }

  /** The CA that issues device certificates: the trust anchor of every device chain. */
  public X509Certificate deviceCa() throws GeneralSecurityException {
    return certificates(caChainPem).get(0);
  }

  /** The certificate of the key that signs tree heads. */
  public X509Certificate logCertificate() throws GeneralSecurityException {
    return certificates(logCertificatePem).get(0);
  }

  /** The key that signs tree heads. */
  public ECPublicKey logKey() throws GeneralSecurityException {
    if (!(logCertificate().getPublicKey() instanceof ECPublicKey key)) {
      throw new GeneralSecurityException("the transparency-log key is not an EC key");
    }
    return key;
  }

  /**
   * Refuses an {@code /api/v1/info} answer whose device CA key or name, or whose log certificate,
   * differs from these pins: a changed organisation key is an event for an administrator to
   * announce, not something a client silently accepts.
   *
   * <p>The CA is pinned as what a trust anchor is, its name and key, not as one certificate of
   * them: when the agency certifies the same HSM key as an intermediate (or renews that
   * certificate), every device certificate still chains to the pinned anchor, so nothing changed
   * for a client.
   */
  public void requireUnchanged(InfoResponse info) throws GeneralSecurityException {
    OrganisationPins offered = fromInfo(info);
    X509Certificate pinnedCa = deviceCa();
    X509Certificate offeredCa = offered.deviceCa();
    boolean sameCa =
        pinnedCa.getSubjectX500Principal().equals(offeredCa.getSubjectX500Principal())
            && Arrays.equals(
                pinnedCa.getPublicKey().getEncoded(), offeredCa.getPublicKey().getEncoded());
    if (!sameCa) {
      throw new GeneralSecurityException(
          "the server's device CA changed since this profile pinned it (pinned "
              + pinnedCa.getSubjectX500Principal()
              + " with key "
              + keyFingerprint(pinnedCa)
              + ", offered "
              + offeredCa.getSubjectX500Principal()
              + " with key "
              + keyFingerprint(offeredCa)
              + ")");
    }
    String pinnedLog = sha384Hex(logCertificate());
    String offeredLog = sha384Hex(offered.logCertificate());
    if (!pinnedLog.equals(offeredLog)) {
      throw new GeneralSecurityException(
          "the server's transparency-log key changed since this profile pinned it (pinned "
              + pinnedLog
              + ", offered "
              + offeredLog
              + ")");
    }
  }

  private static String keyFingerprint(X509Certificate certificate)
      throws GeneralSecurityException {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-384", FipsModule.PROVIDER)
                .digest(certificate.getPublicKey().getEncoded()));
  }

  /** Parses PEM certificates with the FIPS provider. */
  public static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
    List<X509Certificate> certificates =
        CertificateFactory.getInstance("X.509", FipsModule.PROVIDER)
            .generateCertificates(
                new ByteArrayInputStream(String.valueOf(pem).getBytes(StandardCharsets.US_ASCII)))
            .stream()
            .map(X509Certificate.class::cast)
            .toList();
    if (certificates.isEmpty()) {
      throw new GeneralSecurityException("no certificate in the PEM text");
    }
    return certificates;
  }

  /** SHA-384 of the DER certificate. */
  public static byte[] sha384(X509Certificate certificate) throws GeneralSecurityException {
    return MessageDigest.getInstance("SHA-384", FipsModule.PROVIDER)
        .digest(certificate.getEncoded());
  }

  private static String sha384Hex(X509Certificate certificate) throws GeneralSecurityException {
    return HexFormat.of().formatHex(sha384(certificate));
  }
}
