package io.redoubt.devices;

import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.ProtocolCurves;
import io.redoubt.protocol.crypto.EcKeys;
import java.io.IOException;
import java.security.InvalidKeyException;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads and checks a device's PKCS#10 certification request: well-formed, within size, an EC P-384
 * key with a valid point, SHA384withECDSA, and signed by that key (proof of possession). The
 * subject is ignored: the server names the device itself.
 */
public final class CertificationRequests {

  /** A P-384 request is about 400 bytes; anything far larger is not one. */
  public static final int MAX_DER_LENGTH = 4096;

  private static final String SHA384_WITH_ECDSA = "1.2.840.10045.4.3.3";

  private CertificationRequests() {}

  /**
   * The requested public key, once every check passed.
   *
   * @throws InvalidCertificationRequestException naming the first check that failed
   */
  public static ECPublicKey checkedPublicKey(byte[] der)
      throws InvalidCertificationRequestException {
    if (der == null || der.length == 0) {
      throw new InvalidCertificationRequestException("the certification request is empty");
    }
    if (der.length > MAX_DER_LENGTH) {
      throw new InvalidCertificationRequestException(
          "the certification request is larger than " + MAX_DER_LENGTH + " bytes");
    }
    PKCS10CertificationRequest request;
    try {
      request = new PKCS10CertificationRequest(der);
    } catch (IOException | RuntimeException e) {
      throw new InvalidCertificationRequestException("not a DER PKCS#10 request", e);
    }
    ECPublicKey key;
    try {
      key = EcKeys.decodeSubjectPublicKeyInfo(request.getSubjectPublicKeyInfo().getEncoded());
      ProtocolCurves.requireP384(key);
      EcKeys.requireValidPoint(key);
    } catch (DisallowedKeyException e) {
      throw new InvalidCertificationRequestException(
          "device keys must be EC P-384: " + e.getMessage(), e);
    } catch (InvalidKeyException | IOException e) {
      throw new InvalidCertificationRequestException("the requested public key is invalid", e);
    }
    if (!SHA384_WITH_ECDSA.equals(request.getSignatureAlgorithm().getAlgorithm().getId())) {
      throw new InvalidCertificationRequestException(
          "the request must be signed with SHA384withECDSA");
    }
    try {
      if (!request.isSignatureValid(
          new JcaContentVerifierProviderBuilder()
              .setProvider(io.redoubt.protocol.crypto.FipsModule.PROVIDER)
              .build(key))) {
        throw new InvalidCertificationRequestException(
            "the request's signature does not verify: no proof of possession of the key");
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw new InvalidCertificationRequestException(
          "the request's signature cannot be checked", e);
    }
    return key;
  }
}
