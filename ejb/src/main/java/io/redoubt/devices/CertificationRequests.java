package io.redoubt.devices;

import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.ProtocolCurves;
import io.redoubt.protocol.crypto.EcKeys;
import java.io.IOException;
import java.security.InvalidKeyException;
import java.security.interfaces.ECPublicKey;
import java.util.UUID;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
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
   * The requested public key, once every check passed, for device {@code deviceId} of the caller
   * signed in as {@code username}.
   *
   * <p>The certificate's identity comes from the caller's token, never from the request; a subject
   * that names anyone or anything else is refused rather than silently replaced, so that a client
   * (or a person pasting a request made elsewhere) learns that it asked for something it cannot
   * have. Allowed: an empty subject, or one common name that is the device id or the caller's login
   * name.
   *
   * @throws InvalidCertificationRequestException naming the first check that failed
   */
  public static ECPublicKey checkedPublicKey(byte[] der, UUID deviceId, String username)
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
    requireSubjectIsTheCaller(request.getSubject(), deviceId, username);
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

  private static void requireSubjectIsTheCaller(X500Name subject, UUID deviceId, String username)
      throws InvalidCertificationRequestException {
    RDN[] names = subject.getRDNs();
    if (names.length == 0) {
      return;
    }
    if (names.length == 1
        && !names[0].isMultiValued()
        && BCStyle.CN.equals(names[0].getFirst().getType())) {
      String commonName = IETFUtils.valueToString(names[0].getFirst().getValue());
      if (commonName.equals(deviceId.toString()) || commonName.equalsIgnoreCase(username)) {
        return;
      }
    }
    String shown = subject.toString();
    throw new InvalidCertificationRequestException(
        "the request's subject \""
            + (shown.length() > 200 ? shown.substring(0, 200) + "…" : shown)
            + "\" names someone or something other than you and this device; leave it empty or"
            + " use CN="
            + deviceId
            + " (the server takes your identity from your sign-in)");
  }
}
