package io.redoubt.devices;

import io.redoubt.keys.HsmContentSigner;
import io.redoubt.keys.KeyPurpose;
import io.redoubt.keys.OrganisationKeys;
import io.redoubt.protocol.crypto.FipsModule;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Issues the CA-signed revocation list in the HSM when the stored one is stale, and stores it.
 *
 * <p>A certificate stays on the list until one full list period after it expired (RFC 5280 5.1.2.6
 * requires it on at least one list issued after its expiry); an expired certificate fails
 * validation on its own, so the list does not grow without end.
 */
@Stateless
public class RevocationListIssuer {

  private static final Logger LOG = Logger.getLogger(RevocationListIssuer.class.getName());

  @PersistenceContext(unitName = "redoubt")
  EntityManager em;

  @EJB OrganisationKeys keys;
  @Inject DeviceSettings settings;

  private final Clock clock = Clock.systemUTC();

  /** The log leaf of the newest revocation, -1 when nothing was ever revoked. */
  public long latestRevocationLeaf() {
    Long latest = em.createNamedQuery(Device.LATEST_REVOCATION, Long.class).getSingleResult();
    return latest == null ? -1 : latest;
  }

  /**
   * The stored list when it is still current, otherwise a new one, signed and stored. In a
   * transaction of its own that first locks the list's row: concurrent callers (threads or nodes)
   * queue there and find the list the first of them issued, so one stale moment costs one HSM
   * signature. The revocations are read after the lock, so a revocation committed before it is
   * never missed.
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public IssuedRevocationList currentOrNew() throws GeneralSecurityException {
    RevocationList row =
        em.find(RevocationList.class, RevocationList.THE_LIST, LockModeType.PESSIMISTIC_WRITE);
    if (row == null) {
      throw new IllegalStateException(
          "the revocation_list row is missing (schema migration V0007)");
    }
    long latest = latestRevocationLeaf();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS); // CRL times have seconds
    IssuedRevocationList stored = row.issued();
    if (stored != null && stored.isCurrent(latest, now)) {
      return stored;
    }
    Duration validity = settings.revocationListValidity();
    Instant nextUpdate = now.plus(validity);
    List<RevocationListProfile.Entry> entries = entries(now.minus(validity));
    var caSigner = keys.signer(KeyPurpose.DEVICE_CA);
    long number = row.crlNumber() + 1;
    X509CRL crl =
        RevocationListProfile.issue(
            caSigner.certificate(),
            new HsmContentSigner(caSigner),
            BigInteger.valueOf(number),
            now,
            nextUpdate,
            entries);
    row.replace(number, latest, now, nextUpdate, crl.getEncoded());
    LOG.info(
        () ->
            "Revocation list "
                + number
                + " issued: "
                + entries.size()
                + " revoked certificate(s), next update "
                + nextUpdate);
    return row.issued();
  }

  /** Revoked certificates that had not expired by {@code keepExpiredSince}. */
  private List<RevocationListProfile.Entry> entries(Instant keepExpiredSince)
      throws GeneralSecurityException {
    var factory = CertificateFactory.getInstance("X.509", FipsModule.PROVIDER);
    var entries = new ArrayList<RevocationListProfile.Entry>();
    for (Device device : em.createNamedQuery(Device.REVOKED, Device.class).getResultList()) {
      var certificate =
          (X509Certificate)
              factory.generateCertificate(new ByteArrayInputStream(device.certificateDer()));
      if (certificate.getNotAfter().toInstant().isAfter(keepExpiredSince)) {
        entries.add(
            new RevocationListProfile.Entry(certificate.getSerialNumber(), device.revokedAt()));
      }
    }
    return entries;
  }
}
