package io.redoubt.devices;

import io.redoubt.directory.Directory;
import io.redoubt.keys.Fingerprint;
import io.redoubt.keys.HsmContentSigner;
import io.redoubt.keys.KeyPurpose;
import io.redoubt.keys.OrganisationKeys;
import io.redoubt.organisation.OrganisationSettings;
import io.redoubt.prekeys.PrekeyStockFullException;
import io.redoubt.prekeys.PrekeyStore;
import io.redoubt.protocol.prekeys.InvalidPrekeyException;
import io.redoubt.protocol.prekeys.SignedPrekey;
import io.redoubt.transparency.TransparencyLog;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Enrolls a device: checks the request, issues the certificate with the HSM-held CA key, and logs
 * it in the transparency log, all in one transaction, so that no certificate exists that the log
 * does not show.
 */
@Stateless
public class DeviceEnrollment {

  @PersistenceContext(unitName = "redoubt")
  EntityManager em;

  @EJB OrganisationKeys keys;
  @EJB TransparencyLog log;
  @EJB PrekeyStore prekeys;
  @EJB Directory directory;
  @Inject DeviceSettings settings;
  @Inject OrganisationSettings organisation;

  private final Clock clock = Clock.systemUTC();

  /**
   * Enrolls {@code deviceId} for {@code userId}, the authenticated caller (never a name from the
   * request), and publishes its first prekeys. Every check of the request runs before the HSM
   * signs.
   *
   * @param username the caller's login name from the same token, recorded for directory lookups
   */
  public Enrollment enroll(
      @NotBlank @Size(max = 255) String userId,
      @NotBlank @Size(max = 255) String username,
      @NotNull UUID deviceId,
      @NotBlank @Size(max = 100) String name,
      @NotNull byte[] certificationRequest,
      @NotNull SignedPrekey signedPrekey,
      @NotNull List<SignedPrekey> oneTimePrekeys)
      throws InvalidCertificationRequestException,
          InvalidPrekeyException,
          PrekeyStockFullException,
          DeviceLimitReachedException,
          DeviceIdTakenException,
          GeneralSecurityException {
    ECPublicKey deviceKey =
        CertificationRequests.checkedPublicKey(certificationRequest, deviceId, username);
    prekeys.checkFirst(deviceId, deviceKey, signedPrekey, oneTimePrekeys);
    if (em.find(Device.class, deviceId.toString()) != null) {
      throw new DeviceIdTakenException("device id " + deviceId + " is already in use");
    }
    var caSigner = keys.signer(KeyPurpose.DEVICE_CA);
    X509Certificate ca = caSigner.certificate();
    Instant now = clock.instant();
    X509Certificate certificate =
        DeviceCertificateProfile.issue(
            ca,
            new HsmContentSigner(caSigner),
            organisation.name(),
            userId,
            deviceId,
            deviceKey,
            now,
            settings.certificateValidity());
    byte[] der = certificate.getEncoded();
    byte[] sha384 = Fingerprint.sha384(der);
    long leaf = log.appendIssued(userId, deviceId.toString(), sha384);
    // Counted only now: the append holds the log's lock row until commit, so enrollments are
    // serialised and this count sees every device committed before ours. Counting first would let
    // two simultaneous enrollments both pass. A refusal here rolls back the append; the HSM
    // signature it cost is simply discarded.
    requireRoomFor(userId);
    var device = new Device(deviceId.toString(), userId, name, der, sha384, now, leaf);
    em.persist(device);
    prekeys.storeFirst(device, signedPrekey, oneTimePrekeys);
    directory.remember(userId, username);
    var chain = new ArrayList<X509Certificate>();
    chain.add(certificate);
    chain.addAll(caSigner.certificateChain()); // the CA's, up to the agency root if imported
    return new Enrollment(device, List.copyOf(chain), leaf);
  }

  private void requireRoomFor(String userId) throws DeviceLimitReachedException {
    long active =
        em.createNamedQuery(Device.ACTIVE_COUNT, Long.class)
            .setParameter("userId", userId)
            .setParameter("status", DeviceStatus.ACTIVE)
            .getSingleResult();
    if (active >= settings.maxPerUser()) {
      throw new DeviceLimitReachedException(
          "you have "
              + active
              + " active devices, the most allowed; revoke one before enrolling another");
    }
  }
}
