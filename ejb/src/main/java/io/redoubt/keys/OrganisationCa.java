package io.redoubt.keys;

import io.redoubt.keys.hsm.HsmUnavailableException;
import io.redoubt.protocol.crypto.EcdsaP384;
import jakarta.ejb.EJB;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

/**
 * The organisation's device CA: the {@link KeyPurpose#DEVICE_CA} key of {@link OrganisationKeys},
 * with the operations that are specific to a CA.
 *
 * <p>The CA may be self-signed (the lab) or an intermediate of the agency's PKI: {@link
 * #certificationRequest()} makes the request the agency signs, {@link #importCertificateChain}
 * installs what it returns. The key, the subject and the key identifier never change, so device
 * certificates issued before an import keep chaining to the new certificate. A re-import is allowed
 * (the agency renews the CA certificate for the same key, or the administrator returns to the
 * self-signed certificate); each one replaces the previous chain.
 */
@Singleton
@Lock(LockType.READ)
public class OrganisationCa {

  private static final Logger LOG = Logger.getLogger(OrganisationCa.class.getName());

  @EJB OrganisationKeys keys;
  @EJB OrganisationKeyRegistry registry;

  private final Clock clock = Clock.systemUTC();

  private final SecureRandom random = new SecureRandom();

  /** The CA certificate chain, the CA's own certificate first. */
  public List<X509Certificate> certificateChain() {
    return keys.signer(KeyPurpose.DEVICE_CA).certificateChain();
  }

  /**
   * Proves the HSM still signs with the CA key: signs a random challenge in the token and verifies
   * it with the CA certificate. Used by the readiness check.
   */
  public void probe() throws HsmUnavailableException {
    HsmSigner signer = keys.signer(KeyPurpose.DEVICE_CA);
    byte[] challenge = new byte[32];
    random.nextBytes(challenge);
    byte[] signature = signer.sign(challenge);
    try {
      if (!EcdsaP384.verify(
          (ECPublicKey) signer.certificate().getPublicKey(), challenge, signature)) {
        throw new HsmUnavailableException("the HSM's CA signature does not verify");
      }
    } catch (GeneralSecurityException e) {
      throw new HsmUnavailableException("the CA certificate's key cannot verify", e);
    }
  }

  /**
   * A DER PKCS#10 request for the CA key, signed in the HSM, with the CA's current subject: what
   * the agency's PKI signs to make this CA its intermediate.
   */
  public byte[] certificationRequest() throws GeneralSecurityException {
    var signer = keys.signer(KeyPurpose.DEVICE_CA);
    try {
      return CaCertificateProfile.certificationRequest(
              signer.certificate(), new HsmContentSigner(signer))
          .getEncoded();
    } catch (org.bouncycastle.operator.RuntimeOperatorException | java.io.IOException e) {
      throw new GeneralSecurityException("the HSM cannot sign the request", e);
    }
  }

  /**
   * Replaces the CA's certificate chain with {@code chain} (the CA certificate first, then its
   * issuers up to and including the self-signed root) once {@link CaCertificateChains#checked}
   * accepts it; on any refusal nothing changes. Write-locked and outside any caller transaction:
   * the database pin commits before the signers switch, so a failed commit never leaves the server
   * issuing under a chain the database does not hold.
   *
   * @param importedBy who imports, for the log
   * @return the chain now in use
   */
  @Lock(LockType.WRITE)
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public List<X509Certificate> importCertificateChain(
      List<X509Certificate> chain, String importedBy)
      throws InvalidCaCertificateException, GeneralSecurityException {
    var signer = keys.signer(KeyPurpose.DEVICE_CA);
    List<X509Certificate> checked =
        CaCertificateChains.checked(chain, signer.certificate(), clock.instant());
    try {
      registry.replaceCertificateChain(signer.alias(), checked);
    } catch (OrganisationKeyMismatchException e) {
      // Checked above already; reaching this means the pin and the signer disagree.
      throw new IllegalStateException(e.getMessage(), e);
    }
    keys.useCertificateChain(KeyPurpose.DEVICE_CA, checked);
    String fingerprint = Fingerprint.sha384Hex(checked.get(0).getEncoded());
    X509Certificate root = checked.get(checked.size() - 1);
    LOG.info(
        () ->
            "Device CA certificate chain imported by "
                + importedBy
                + ": CA certificate SHA-384 "
                + fingerprint
                + ", "
                + checked.size()
                + " certificate(s), root "
                + root.getSubjectX500Principal().getName());
    return checked;
  }
}
