package io.redoubt.keys;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Pins the certificates of the organisation's HSM keys and answers what was pinned. */
@Stateless
public class OrganisationKeyRegistry {

  @PersistenceContext(unitName = "redoubt")
  private EntityManager em;

  private final Clock clock = Clock.systemUTC();

  /**
   * Pins {@code certificate} under {@code alias} the first time; afterwards confirms that the token
   * still holds the same key.
   *
   * @return the pinned record
   * @throws OrganisationKeyMismatchException when a different certificate (or purpose) is already
   *     pinned under the alias; the caller's transaction is rolled back
   */
  public OrganisationKey pin(KeyPurpose purpose, String alias, X509Certificate certificate)
      throws OrganisationKeyMismatchException, GeneralSecurityException {
    byte[] der = certificate.getEncoded();
    String fingerprint = Fingerprint.sha384Hex(der);
    Optional<OrganisationKey> pinned = find(alias);
    if (pinned.isPresent()) {
      OrganisationKey existing = pinned.get();
      if (!existing.fingerprintSha384().equals(fingerprint) || existing.purpose() != purpose) {
        throw new OrganisationKeyMismatchException(
            alias, existing.fingerprintSha384(), fingerprint);
      }
      return existing;
    }
    var key = new OrganisationKey(alias, purpose, der, fingerprint, Instant.now(clock));
    em.persist(key);
    return key;
  }

  /** The record pinned under {@code alias}, if any. */
  public Optional<OrganisationKey> find(String alias) {
    return em.createNamedQuery(OrganisationKey.BY_ALIAS, OrganisationKey.class)
        .setParameter("alias", alias)
        .getResultStream()
        .findFirst();
  }
}
