package io.redoubt.keys;

import io.redoubt.keys.hsm.HsmUnavailableException;
import io.redoubt.protocol.crypto.EcdsaP384;
import jakarta.ejb.EJB;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.List;

/**
 * The organisation's device CA: the {@link KeyPurpose#DEVICE_CA} key of {@link OrganisationKeys},
 * with the operations that are specific to a CA.
 */
@Singleton
@Lock(LockType.READ)
public class OrganisationCa {

  @EJB OrganisationKeys keys;

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
}
