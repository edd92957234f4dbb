package io.redoubt.protocol.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import java.security.spec.X509EncodedKeySpec;

/**
 * Decoding and full validation of elliptic-curve public keys that arrive from outside (SP 800-56A
 * rev. 3 §5.6.2.3.3): the point is not the identity, its coordinates are field elements, and it
 * satisfies the curve equation. The protocol's curves all have cofactor 1, so a point on the curve
 * is in the prime-order group; a cofactor other than 1 is refused rather than checked.
 */
public final class EcKeys {

  private EcKeys() {}

  /**
   * Decodes an X.509 SubjectPublicKeyInfo and validates the point.
   *
   * @throws InvalidKeyException when the encoding or the point is invalid
   */
  public static ECPublicKey decodeSubjectPublicKeyInfo(byte[] encoded) throws InvalidKeyException {
    PublicKey key;
    try {
      key =
          KeyFactory.getInstance("EC", FipsModule.PROVIDER)
              .generatePublic(new X509EncodedKeySpec(encoded));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InvalidKeyException("not a valid EC SubjectPublicKeyInfo", e);
    }
    if (!(key instanceof ECPublicKey ecKey)) {
      throw new InvalidKeyException("not an EC public key");
    }
    requireValidPoint(ecKey);
    return ecKey;
  }

  /**
   * Refuses a public key whose point is not a valid non-identity point of its prime-order curve.
   */
  public static void requireValidPoint(ECPublicKey key) throws InvalidKeyException {
    ECParameterSpec params;
    try {
      params = key.getParams();
    } catch (RuntimeException e) {
      throw new InvalidKeyException("the key's domain parameters are malformed", e);
    }
    if (params == null) {
      throw new InvalidKeyException("the key has no domain parameters");
    }
    EllipticCurve curve = params.getCurve();
    if (!(curve.getField() instanceof ECFieldFp field)) {
      throw new InvalidKeyException("only prime-field curves are allowed");
    }
    if (params.getCofactor() != 1) {
      throw new InvalidKeyException("only cofactor-1 curves are allowed");
    }
    ECPoint w = key.getW();
    if (w == null || ECPoint.POINT_INFINITY.equals(w)) {
      throw new InvalidKeyException("public point is the identity");
    }
    BigInteger p = field.getP();
    BigInteger x = w.getAffineX();
    BigInteger y = w.getAffineY();
    if (x.signum() < 0 || x.compareTo(p) >= 0 || y.signum() < 0 || y.compareTo(p) >= 0) {
      throw new InvalidKeyException("public point coordinates are out of range");
    }
    BigInteger left = y.multiply(y).mod(p);
    BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
    if (!left.equals(right)) {
      throw new InvalidKeyException("public point is not on the curve");
    }
  }

  /** True when two parameter sets describe the same curve, generator, order and cofactor. */
  public static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
    return a != null
        && b != null
        && a.getCurve().equals(b.getCurve())
        && a.getGenerator().equals(b.getGenerator())
        && a.getOrder().equals(b.getOrder())
        && a.getCofactor() == b.getCofactor();
  }
}
