package io.redoubt.keys;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Pins the organisation's HSM keys and their current certificate chains. */
@Stateless
public class OrganisationKeyRegistry {

  @PersistenceContext(unitName = "redoubt")
  private EntityManager em;

  private final Clock clock = Clock.systemUTC();

  /**
   * Pins the key of {@code certificate} under {@code alias} the first time; afterwards confirms
   * that the token still holds the same key. The comparison is by public key, not by certificate:
   * an imported certificate (the CA made an intermediate) replaces the token's self-signed one in
   * the pin but certifies the same key.
   *
   * @return the pinned record, whose certificate chain is the one to use
   * @throws OrganisationKeyMismatchException when a different key (or purpose) is already pinned
   *     under the alias; the caller's transaction is rolled back
   */
  public OrganisationKey pin(KeyPurpose purpose, String alias, X509Certificate certificate)
      throws OrganisationKeyMismatchException, GeneralSecurityException {
    byte[] der = certificate.getEncoded();
    Optional<OrganisationKey> pinned = find(alias);
    if (pinned.isPresent()) {
      OrganisationKey existing = pinned.get();
      byte[] pinnedKey = parse(existing.certificateDer()).getPublicKey().getEncoded();
      byte[] tokenKey = certificate.getPublicKey().getEncoded();
      if (!MessageDigest.isEqual(pinnedKey, tokenKey) || existing.purpose() != purpose) {
        throw new OrganisationKeyMismatchException(
            alias, Fingerprint.sha384Hex(pinnedKey), Fingerprint.sha384Hex(tokenKey));
      }
      return existing;
    }
    var key =
        new OrganisationKey(alias, purpose, der, Fingerprint.sha384Hex(der), Instant.now(clock));
    em.persist(key);
    return key;
  }

  /**
   * Replaces the certificate chain pinned under {@code alias} with {@code chain} (the key's own
   * certificate first, then its issuers up to the root). The caller has checked that the chain
   * certifies the pinned key; this method checks it again, because the pin must never move to
   * another key.
   */
  public OrganisationKey replaceCertificateChain(String alias, List<X509Certificate> chain)
      throws OrganisationKeyMismatchException, GeneralSecurityException {
    OrganisationKey key =
        em.createNamedQuery(OrganisationKey.BY_ALIAS, OrganisationKey.class)
            .setParameter("alias", alias)
            .setLockMode(LockModeType.PESSIMISTIC_WRITE)
            .getResultStream()
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no key pinned under " + alias));
    byte[] pinnedKey = parse(key.certificateDer()).getPublicKey().getEncoded();
    byte[] offeredKey = chain.get(0).getPublicKey().getEncoded();
    if (!MessageDigest.isEqual(pinnedKey, offeredKey)) {
      throw new OrganisationKeyMismatchException(
          alias, Fingerprint.sha384Hex(pinnedKey), Fingerprint.sha384Hex(offeredKey));
    }
    byte[] der = chain.get(0).getEncoded();
    var issuers = new StringBuilder();
    for (X509Certificate issuer : chain.subList(1, chain.size())) {
      issuers
          .append("-----BEGIN CERTIFICATE-----\n")
          .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(issuer.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    key.replaceCertificate(
        der,
        Fingerprint.sha384Hex(der),
        issuers.isEmpty() ? null : issuers.toString(),
        Instant.now(clock));
    return key;
  }

  /** The record pinned under {@code alias}, if any. */
  public Optional<OrganisationKey> find(String alias) {
    return em.createNamedQuery(OrganisationKey.BY_ALIAS, OrganisationKey.class)
        .setParameter("alias", alias)
        .getResultStream()
        .findFirst();
  }

  /** The pinned certificate chain of {@code key}: its certificate, then its issuers. */
  public static List<X509Certificate> chainOf(OrganisationKey key) throws GeneralSecurityException {
    var chain = new ArrayList<X509Certificate>();
    chain.add(parse(key.certificateDer()));
    if (key.issuerChainPem() != null) {
      CertificateFactory.getInstance("X.509", FipsModuleStatus.PROVIDER_NAME)
          .generateCertificates(
              new ByteArrayInputStream(key.issuerChainPem().getBytes(StandardCharsets.US_ASCII)))
          .forEach(issuer -> chain.add((X509Certificate) issuer));
    }
    return List.copyOf(chain);
  }

  private static X509Certificate parse(byte[] der) throws GeneralSecurityException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509", FipsModuleStatus.PROVIDER_NAME)
            .generateCertificate(new ByteArrayInputStream(der));
  }
}
