package io.redoubt.protocol.crypto;

import io.redoubt.protocol.ProtocolCurves;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import javax.crypto.KeyAgreement;

/**
 * Elliptic-curve Diffie-Hellman (SP 800-56A "ECC CDH") through the FIPS module's JCA {@code ECCDH}
 * service, which returns the raw shared secret Z (the x-coordinate, field-length, big-endian) —
 * what HPKE's DHKEM and the Wycheproof vectors define. The peer's public key is fully validated
 * first, so an invalid-curve or off-curve point never reaches the multiplication.
 *
 * <p>{@link #agreeP384} is the protocol's entry point; {@link #agree} is generic over the NIST
 * curves for HPKE's P-256 and P-521 suites, and requires both keys on the same curve.
 */
public final class EcdhAgreement {

  private EcdhAgreement() {}

  /** ECDH where both keys must be on P-384. The caller owns, and should zero, the result. */
  public static byte[] agreeP384(PrivateKey privateKey, ECPublicKey peer)
      throws GeneralSecurityException {
    ProtocolCurves.requireP384(privateKey);
    ProtocolCurves.requireP384(peer);
    return agree(privateKey, peer);
  }

  /**
   * ECDH on any prime curve the module supports; both keys must share the domain parameters.
   *
   * @throws InvalidKeyException when the peer key is invalid or on another curve
   */
  public static byte[] agree(PrivateKey privateKey, ECPublicKey peer)
      throws GeneralSecurityException {
    EcKeys.requireValidPoint(peer);
    if (privateKey instanceof ECPrivateKey ecPrivate
        && !EcKeys.sameCurve(ecPrivate.getParams(), peer.getParams())) {
      throw new InvalidKeyException("the peer key is on a different curve");
    }
    KeyAgreement agreement = KeyAgreement.getInstance("ECCDH", FipsModule.PROVIDER);
    agreement.init(privateKey);
    agreement.doPhase(peer, true);
    return agreement.generateSecret();
  }
}
