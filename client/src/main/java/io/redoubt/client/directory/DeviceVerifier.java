package io.redoubt.client.directory;

import io.redoubt.client.OrganisationPins;
import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.transparency.LogEvidence;
import io.redoubt.client.transparency.LogReader;
import io.redoubt.client.transparency.TransparencyException;
import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.ProtocolCurves;
import io.redoubt.protocol.api.LogEntryResponse;
import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.transparency.LeafKind;
import io.redoubt.protocol.transparency.LogLeaf;
import io.redoubt.protocol.transparency.TreeHead;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a device certificate may be trusted, without trusting the server that served it:
 *
 * <ol>
 *   <li>it validates (PKIX, BCFIPS) to the device CA the profile pinned — the served chain is used
 *       for nothing but its first certificate;
 *   <li>its key is P-384, its extended key usage is Redoubt's device usage, and its one SAN URI is
 *       {@code urn:redoubt:device:<userId>:<deviceId>} for exactly the user and device claimed;
 *   <li>the log entry at its {@code issuedLogIndex} is a {@code certificate-issued} leaf for that
 *       user, that device and this certificate's SHA-384 (its fields checked against its bytes);
 *   <li>that leaf's inclusion proof verifies against a signed tree head.
 * </ol>
 *
 * A certificate the CA signed but nobody logged fails (3): the log is the only place it could have
 * been seen, so a client that requires it makes hidden certificates useless.
 */
public final class DeviceVerifier {

  /** Redoubt's device extended key usage (PROTOCOL.md: arc {@code .1}). */
  public static final String DEVICE_USAGE = "2.25.6803106302403272843231992851845464659.1";

  private static final int URI_NAME = 6;

  private final OrganisationPins pins;
  private final LogReader log;
  private final Clock clock;

  public DeviceVerifier(OrganisationPins pins, LogReader log, Clock clock) {
    this.pins = pins;
    this.log = log;
    this.clock = clock;
  }

  /** The SAN URI that binds a device certificate to its user. */
  public static String deviceUri(String userId, String deviceId) {
    return "urn:redoubt:device:" + userId + ":" + deviceId;
  }

  /**
   * Checks a device as described above, against {@code head}, whose signature (and consistency with
   * what the profile saw) the caller has verified.
   *
   * @throws DeviceRejectedException naming the check that failed
   */
  public VerifiedDevice verify(
      String userId,
      String deviceId,
      String chainPem,
      long issuedLogIndex,
      List<String> auditPath,
      TreeHead head)
      throws DeviceRejectedException, IOException, InterruptedException {
    X509Certificate certificate = certificate(userId, deviceId, chainPem);
    String sha384;
    try {
      sha384 =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(OrganisationPins.sha384(certificate));
    } catch (GeneralSecurityException e) {
      throw new DeviceRejectedException("cannot hash the certificate: " + e.getMessage(), e);
    }
    if (issuedLogIndex < 0 || issuedLogIndex >= head.treeSize()) {
      throw new DeviceRejectedException(
          "not in the transparency log: its log index "
              + issuedLogIndex
              + " is outside the signed tree of size "
              + head.treeSize());
    }
    LogLeaf leaf;
    try {
      List<LogEntryResponse> entries = log.entries(issuedLogIndex, issuedLogIndex + 1);
      if (entries == null || entries.size() != 1 || entries.get(0).index() != issuedLogIndex) {
        throw new DeviceRejectedException(
            "not in the transparency log: the server did not return entry " + issuedLogIndex);
      }
      leaf = LogEvidence.checkedLeaf(entries.get(0));
    } catch (RedoubtApiException e) {
      throw new DeviceRejectedException(
          "not in the transparency log: entry "
              + issuedLogIndex
              + " unavailable ("
              + e.getMessage()
              + ")",
          e);
    } catch (TransparencyException e) {
      throw new DeviceRejectedException(e.getMessage(), e);
    }
    String logged =
        Base64.getUrlEncoder().withoutPadding().encodeToString(leaf.certificateSha384());
    if (leaf.kind() != LeafKind.CERTIFICATE_ISSUED
        || !leaf.userId().equals(userId)
        || !leaf.deviceId().equals(deviceId)
        || !logged.equals(sha384)) {
      throw new DeviceRejectedException(
          "not in the transparency log: entry "
              + issuedLogIndex
              + " records "
              + leaf.kind().code()
              + " of certificate "
              + logged
              + " for device "
              + leaf.deviceId()
              + ", not this certificate ("
              + sha384
              + ")");
    }
    try {
      LogEvidence.requireIncluded(leaf, issuedLogIndex, head, auditPath);
    } catch (TransparencyException e) {
      throw new DeviceRejectedException("not proven in the transparency log: " + e.getMessage(), e);
    }
    return new VerifiedDevice(userId, deviceId, certificate, sha384, issuedLogIndex);
  }

  /** Checks (1) and (2): the certificate itself. */
  X509Certificate certificate(String userId, String deviceId, String chainPem)
      throws DeviceRejectedException {
    X509Certificate certificate;
    X509Certificate ca;
    try {
      certificate = OrganisationPins.certificates(chainPem).get(0);
      ca = pins.deviceCa();
    } catch (GeneralSecurityException e) {
      throw new DeviceRejectedException("the certificate cannot be read: " + e.getMessage(), e);
    }
    try {
      var parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
      // Revocation is the log's and the CA's revocation list's business, checked separately.
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(clock.instant()));
      CertPathValidator.getInstance("PKIX", FipsModule.PROVIDER)
          .validate(
              CertificateFactory.getInstance("X.509", FipsModule.PROVIDER)
                  .generateCertPath(List.of(certificate)),
              parameters);
    } catch (CertPathValidatorException e) {
      throw new DeviceRejectedException(
          "the certificate does not validate to the pinned organisation CA: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new DeviceRejectedException(
          "the certificate cannot be validated: " + e.getMessage(), e);
    }
    try {
      if (!(certificate.getPublicKey() instanceof ECPublicKey key)) {
        throw new DeviceRejectedException("the certificate's key is not an EC key");
      }
      ProtocolCurves.requireP384(key);
      List<String> usages = certificate.getExtendedKeyUsage();
      if (usages == null || !usages.contains(DEVICE_USAGE)) {
        throw new DeviceRejectedException("the certificate is not for a Redoubt device (EKU)");
      }
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      String expected = deviceUri(userId, deviceId);
      if (names == null
          || names.size() != 1
          || !names.iterator().next().equals(List.of(URI_NAME, expected))) {
        throw new DeviceRejectedException(
            "the certificate does not name " + expected + " (its names: " + names + ")");
      }
    } catch (DisallowedKeyException e) {
      throw new DeviceRejectedException("the certificate's key is not P-384", e);
    } catch (CertificateParsingException e) {
      throw new DeviceRejectedException("the certificate's extensions are malformed", e);
    }
    return certificate;
  }
}
