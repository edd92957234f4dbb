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
import io.redoubt.protocol.crypto.HashFunction;
import io.redoubt.protocol.transparency.LeafKind;
import io.redoubt.protocol.transparency.LogLeaf;
import io.redoubt.protocol.transparency.TreeHead;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
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
 *   <li>the log entry at its {@code issuedLogIndex} — the one the answer carried, else fetched from
 *       the log — is a {@code certificate-issued} leaf for that user, that device and this
 *       certificate's SHA-384 (its fields checked against its bytes);
 *   <li>that leaf's inclusion proof verifies against a signed tree head.
 * </ol>
 *
 * A certificate the CA signed but nobody logged fails (3): the log is the only place it could have
 * been seen, so a client that requires it makes hidden certificates useless.
 *
 * <p>(1) and (2) but the validity dates depend only on the certificate's bytes and the pinned CA,
 * so they are done once per certificate and process ({@link ValidatedCertificates}); the dates, the
 * log entry and its proof are checked on every call, as are the revocation list and prekeys by the
 * callers.
 */
public final class DeviceVerifier {

  /** Redoubt's device extended key usage (PROTOCOL.md: arc {@code .1}). */
  public static final String DEVICE_USAGE = "2.25.6803106302403272843231992851845464659.1";

  private static final int URI_NAME = 6;

  private final OrganisationPins pins;
  private final LogReader log;
  private final Clock clock;
  private final ValidatedCertificates validated;
  private PinnedCa pinned;

  /**
   * A verifier that remembers, for the life of the process, which certificates passed the checks
   * that depend only on their bytes and the pinned CA ({@link ValidatedCertificates}).
   */
  public DeviceVerifier(OrganisationPins pins, LogReader log, Clock clock) {
    this(pins, log, clock, ValidatedCertificates.PROCESS);
  }

  DeviceVerifier(
      OrganisationPins pins, LogReader log, Clock clock, ValidatedCertificates validated) {
    this.pins = pins;
    this.log = log;
    this.clock = clock;
    this.validated = validated;
  }

  /** The SAN URI that binds a device certificate to its user. */
  public static String deviceUri(String userId, String deviceId) {
    return "urn:redoubt:device:" + userId + ":" + deviceId;
  }

  /**
   * Checks a device as described above, against {@code head}, whose signature (and consistency with
   * what the profile saw) the caller has verified; the log entry is fetched from the log.
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
    return verify(userId, deviceId, chainPem, issuedLogIndex, auditPath, null, head);
  }

  /**
   * Checks a device as described above, against {@code head}, whose signature (and consistency with
   * what the profile saw) the caller has verified, with the log entry the answer carried when there
   * is one (no request per device), else the entry fetched from the log.
   *
   * @param servedEntry the entry at {@code issuedLogIndex} as the answer served it, or null
   * @throws DeviceRejectedException naming the check that failed
   */
  public VerifiedDevice verify(
      String userId,
      String deviceId,
      String chainPem,
      long issuedLogIndex,
      List<String> auditPath,
      LogEntryResponse servedEntry,
      TreeHead head)
      throws DeviceRejectedException, IOException, InterruptedException {
    Checked checked = certificate(userId, deviceId, chainPem);
    String sha384 = checked.sha384();
    if (issuedLogIndex < 0 || issuedLogIndex >= head.treeSize()) {
      throw new DeviceRejectedException(
          "not in the transparency log: its log index "
              + issuedLogIndex
              + " is outside the signed tree of size "
              + head.treeSize());
    }
    // A served entry is trusted exactly as much as a fetched one, which is not at all by itself:
    // both come from the same server. What makes either evidence is what follows for both: its
    // fields must be its leaf bytes, name this user, this device and this certificate's SHA-384,
    // and those bytes must be proven at this index in the head signed with the pinned log key. A
    // server that served another leaf, or altered one, fails there exactly as a fetched one would.
    LogLeaf leaf =
        servedEntry != null ? served(servedEntry, issuedLogIndex) : fetch(issuedLogIndex);
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
    return new VerifiedDevice(userId, deviceId, checked.certificate(), sha384, issuedLogIndex);
  }

  private static LogLeaf served(LogEntryResponse entry, long issuedLogIndex)
      throws DeviceRejectedException {
    if (entry.index() != issuedLogIndex) {
      throw new DeviceRejectedException(
          "not in the transparency log: the answer carries entry "
              + entry.index()
              + " as the record of entry "
              + issuedLogIndex);
    }
    try {
      return LogEvidence.checkedLeaf(entry);
    } catch (TransparencyException e) {
      throw new DeviceRejectedException(e.getMessage(), e);
    }
  }

  private LogLeaf fetch(long issuedLogIndex)
      throws DeviceRejectedException, IOException, InterruptedException {
    try {
      List<LogEntryResponse> entries = log.entries(issuedLogIndex, issuedLogIndex + 1);
      if (entries == null || entries.size() != 1 || entries.get(0).index() != issuedLogIndex) {
        throw new DeviceRejectedException(
            "not in the transparency log: the server did not return entry " + issuedLogIndex);
      }
      return LogEvidence.checkedLeaf(entries.get(0));
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
  }

  /** A certificate that passed (1) and (2), and its base64url SHA-384. */
  record Checked(X509Certificate certificate, String sha384) {}

  /**
   * Checks (1) and (2): the certificate itself. What depends only on its bytes and the pinned CA is
   * done once per process ({@link ValidatedCertificates}); its validity dates are checked against
   * the clock every time.
   */
  Checked certificate(String userId, String deviceId, String chainPem)
      throws DeviceRejectedException {
    PinnedCa ca = pinnedCa();
    byte[] der = firstCertificate(chainPem);
    if (der != null) {
      String sha384 = B64.encodeToString(HashFunction.SHA384.digest(der));
      X509Certificate known =
          validated.get(new ValidatedCertificates.Key(ca.sha384(), sha384, userId, deviceId));
      if (known != null) {
        requireCurrent(known);
        return new Checked(known, sha384);
      }
    }
    X509Certificate certificate = validate(userId, deviceId, chainPem, ca.certificate());
    String sha384;
    try {
      sha384 = B64.encodeToString(HashFunction.SHA384.digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new DeviceRejectedException("cannot hash the certificate: " + e.getMessage(), e);
    }
    validated.put(
        new ValidatedCertificates.Key(ca.sha384(), sha384, userId, deviceId), certificate);
    return new Checked(certificate, sha384);
  }

  /** The date-dependent part of the PKIX validation, for a certificate validated before. */
  private void requireCurrent(X509Certificate certificate) throws DeviceRejectedException {
    try {
      certificate.checkValidity(Date.from(clock.instant()));
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new DeviceRejectedException(
          "the certificate does not validate to the pinned organisation CA: it is valid from "
              + certificate.getNotBefore().toInstant()
              + " to "
              + certificate.getNotAfter().toInstant()
              + ", not at "
              + clock.instant(),
          e);
    }
  }

  private synchronized PinnedCa pinnedCa() throws DeviceRejectedException {
    if (pinned == null) {
      try {
        X509Certificate ca = pins.deviceCa();
        pinned = new PinnedCa(ca, B64.encodeToString(HashFunction.SHA384.digest(ca.getEncoded())));
      } catch (GeneralSecurityException e) {
        throw new DeviceRejectedException("the certificate cannot be read: " + e.getMessage(), e);
      }
    }
    return pinned;
  }

  private record PinnedCa(X509Certificate certificate, String sha384) {}

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /**
   * The DER bytes of the first PEM certificate in {@code chainPem}, without parsing it, or null
   * when they cannot be read that simply (the full parse then reports why).
   */
  static byte[] firstCertificate(String chainPem) {
    if (chainPem == null) {
      return null;
    }
    int begin = chainPem.indexOf(PEM_BEGIN);
    int end = begin < 0 ? -1 : chainPem.indexOf(PEM_END, begin);
    if (end < 0) {
      return null;
    }
    try {
      return Base64.getMimeDecoder().decode(chainPem.substring(begin + PEM_BEGIN.length(), end));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static final String PEM_BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String PEM_END = "-----END CERTIFICATE-----";

  /** Checks (1) and (2) in full, the validity dates against the clock. */
  private X509Certificate validate(
      String userId, String deviceId, String chainPem, X509Certificate ca)
      throws DeviceRejectedException {
    X509Certificate certificate;
    try {
      certificate = OrganisationPins.certificates(chainPem).get(0);
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
