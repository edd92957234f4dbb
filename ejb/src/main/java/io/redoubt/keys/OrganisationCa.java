package io.redoubt.keys;

import io.redoubt.keys.hsm.HsmSettings;
import io.redoubt.keys.hsm.HsmUnavailableException;
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
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/**
 * The organisation's device CA: an ECDSA P-384 key generated inside the HSM on the first start and
 * reused on every later one, with its certificate stored beside it in the token and pinned in the
 * database.
 */
@Singleton
@Startup
@DependsOn({"FipsGuard", "SchemaMigrator"})
@Lock(LockType.READ)
public class OrganisationCa {

  private static final Logger LOG = Logger.getLogger(OrganisationCa.class.getName());

  @Inject HsmSettings hsm;
  @Inject OrganisationSettings organisation;
  @EJB OrganisationKeyRegistry registry;

  private final SecureRandom random = new SecureRandom();
  private Pkcs11Token token;
  private List<X509Certificate> chain;

  @PostConstruct
  void openOrCreate() {
    try {
      token = Pkcs11Token.open(hsm.pkcs11Config(), hsm.pin());
      String alias = hsm.caAlias();
      if (!token.containsKey(alias)) {
        generate(alias);
      }
      X509Certificate[] stored = token.certificateChain(alias);
      ProtocolCurves.requireP384(stored[0].getPublicKey());
      registry.pin(KeyPurpose.DEVICE_CA, alias, stored[0]);
      chain = List.of(stored);
      LOG.info(
          () ->
              "Organisation CA '"
                  + alias
                  + "' ready in the HSM: "
                  + stored[0].getSubjectX500Principal().getName());
    } catch (HsmUnavailableException
        | OrganisationKeyMismatchException
        | GeneralSecurityException e) {
      throw new IllegalStateException("the organisation CA is not usable: " + e.getMessage(), e);
    }
  }

  private void generate(String alias) throws HsmUnavailableException, GeneralSecurityException {
    LOG.warning(
        () -> "No organisation CA key '" + alias + "' in the HSM: generating one inside the token");
    KeyPair pair = token.generateEcKeyPair(ProtocolCurves.P384);
    X509Certificate certificate =
        CaCertificateProfile.selfSigned(
            organisation.name(),
            pair.getPublic(),
            pair.getPrivate(),
            token.provider(),
            Instant.now());
    token.storeKeyEntry(alias, pair.getPrivate(), new X509Certificate[] {certificate});
  }

  /** The CA certificate chain, the CA's own certificate first. */
  public List<X509Certificate> certificateChain() {
    return chain;
  }

  /**
   * Proves the HSM still signs with the CA key: signs a random challenge in the token and verifies
   * it with the CA certificate. Used by the readiness check.
   */
  public void probe() throws HsmUnavailableException {
    try {
      byte[] challenge = new byte[32];
      random.nextBytes(challenge);
      Signature signer = Signature.getInstance("SHA384withECDSA", token.provider());
      signer.initSign(token.privateKey(hsm.caAlias()));
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("SHA384withECDSA", FipsModuleStatus.PROVIDER_NAME);
      verifier.initVerify(chain.get(0).getPublicKey());
      verifier.update(challenge);
      if (!verifier.verify(signature)) {
        throw new HsmUnavailableException("the HSM's CA signature does not verify");
      }
    } catch (GeneralSecurityException e) {
      throw new HsmUnavailableException("the HSM cannot sign with the CA key", e);
    }
  }
}
