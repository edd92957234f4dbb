package io.redoubt.keys;

import io.redoubt.keys.hsm.HsmSettings;
import io.redoubt.keys.hsm.HsmUnavailableException;
import io.redoubt.keys.hsm.Pkcs11Signer;
import io.redoubt.keys.hsm.Pkcs11Token;
import io.redoubt.organisation.OrganisationSettings;
import io.redoubt.protocol.ProtocolCurves;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The organisation's keys, one per {@link KeyPurpose}: each an ECDSA P-384 key generated inside the
 * HSM on the first start and reused on every later one, with its self-signed certificate stored
 * beside it in the token and pinned in the database. This is the one place that generates, reuses
 * and pins organisation keys.
 *
 * <p>Invariant: after deployment every purpose has a signer whose key is the pinned one and whose
 * certificate chain is the pinned chain; a token that holds a different key under a known alias
 * stops the deployment ({@link OrganisationKeyMismatchException}). The pinned chain is the token's
 * self-signed certificate, unless an administrator imported another certificate for the same key
 * (the device CA made an intermediate, {@link OrganisationCa#importCertificateChain}); the token's
 * own certificate is never rewritten, so that no write ever touches the token's key objects.
 */
@Singleton
@Startup
@DependsOn({"FipsGuard", "SchemaMigrator"})
@Lock(LockType.READ)
public class OrganisationKeys {

  private static final Logger LOG = Logger.getLogger(OrganisationKeys.class.getName());

  @Inject HsmSettings hsm;
  @Inject OrganisationSettings organisation;
  @EJB OrganisationKeyRegistry registry;

  private final Map<KeyPurpose, Pkcs11Signer> signers = new EnumMap<>(KeyPurpose.class);

  @PostConstruct
  void openOrCreate() {
    try {
      Pkcs11Token token = Pkcs11Token.open(hsm.pkcs11Config(), hsm.pin());
      for (KeyPurpose purpose : KeyPurpose.values()) {
        signers.put(purpose, openOrCreate(token, purpose));
      }
    } catch (HsmUnavailableException
        | OrganisationKeyMismatchException
        | GeneralSecurityException e) {
      throw new IllegalStateException("the organisation keys are not usable: " + e.getMessage(), e);
    }
  }

  private Pkcs11Signer openOrCreate(Pkcs11Token token, KeyPurpose purpose)
      throws HsmUnavailableException, GeneralSecurityException, OrganisationKeyMismatchException {
    String alias = hsm.aliasFor(purpose);
    if (!token.containsKey(alias)) {
      LOG.warning(
          () ->
              "No " + purpose + " key '" + alias + "' in the HSM: generating one inside the token");
      KeyPair pair = token.generateEcKeyPair(ProtocolCurves.P384);
      X509Certificate certificate = selfSigned(purpose, pair, token);
      token.storeKeyEntry(alias, pair.getPrivate(), new X509Certificate[] {certificate});
    }
    Pkcs11Signer fromToken = Pkcs11Signer.open(token, alias);
    OrganisationKey pinned = registry.pin(purpose, alias, fromToken.certificate());
    Pkcs11Signer signer = fromToken.withChain(OrganisationKeyRegistry.chainOf(pinned));
    LOG.info(
        () ->
            purpose
                + " key '"
                + alias
                + "' ready in the HSM: "
                + signer.certificate().getSubjectX500Principal().getName());
    return signer;
  }

  private X509Certificate selfSigned(KeyPurpose purpose, KeyPair pair, Pkcs11Token token)
      throws GeneralSecurityException {
    Instant now = Instant.now();
    return purpose == KeyPurpose.DEVICE_CA
        ? CaCertificateProfile.selfSigned(
            organisation.name(), pair.getPublic(), pair.getPrivate(), token.provider(), now)
        : SigningCertificateProfile.selfSigned(
            organisation.name(),
            purpose,
            pair.getPublic(),
            pair.getPrivate(),
            token.provider(),
            now);
  }

  /** The signer of the key for {@code purpose}. */
  public Pkcs11Signer signer(KeyPurpose purpose) {
    return signers.get(purpose);
  }

  /**
   * Makes {@code chain}, already pinned in the database, the certificate chain of the key for
   * {@code purpose}. Write-locked: no signer is handed out while the chain changes.
   */
  @Lock(LockType.WRITE)
  public void useCertificateChain(KeyPurpose purpose, List<X509Certificate> chain)
      throws GeneralSecurityException {
    signers.put(purpose, signers.get(purpose).withChain(chain));
  }
}
