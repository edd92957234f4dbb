package io.redoubt.protocol.hpke;

import io.redoubt.protocol.ProtocolCurves;
import io.redoubt.protocol.crypto.EcKeys;
import io.redoubt.protocol.crypto.EcdhAgreement;
import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.crypto.Hkdf;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * DHKEM(Group, KDF) of RFC 9180 §4.1 over one NIST curve: Encap/Decap and AuthEncap/AuthDecap.
 * Every public key that enters is validated (on the curve, not the identity) and required to be on
 * this KEM's curve; on P-384 it also passes the protocol's allow-list.
 *
 * <p>DH is the FIPS module's ECC CDH primitive; Z is always exactly the field length.
 */
final class Dhkem {

  private final Kem kem;
  private final ECParameterSpec params;
  private final Labels labels;
  private final int dhLength;

  private Dhkem(Kem kem) throws GeneralSecurityException {
    this.kem = kem;
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC", FipsModule.PROVIDER);
    parameters.init(new ECGenParameterSpec(kem.curveName()));
    this.params = parameters.getParameterSpec(ECParameterSpec.class);
    byte[] suiteId = Labels.concat(Labels.ascii("KEM"), twoBytes(kem.id()));
    this.labels = new Labels(Hkdf.over(kem.hash()), suiteId);
    this.dhLength = (kem.publicKeyLength() - 1) / 2;
  }

  static Dhkem of(Kem kem) throws GeneralSecurityException {
    return new Dhkem(kem);
  }

  KeyPair generateKeyPair(SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", FipsModule.PROVIDER);
    generator.initialize(new ECGenParameterSpec(kem.curveName()), random);
    return generator.generateKeyPair();
  }

  KeyPair deriveKeyPair(byte[] ikm) throws GeneralSecurityException {
    byte[] prk = labels.extract(new byte[0], "dkp_prk", ikm);
    try {
      BigInteger order = params.getOrder();
      for (int counter = 0; counter <= 255; counter++) {
        byte[] candidate =
            labels.expand(prk, "candidate", new byte[] {(byte) counter}, kem.privateKeyLength());
        candidate[0] &= (byte) kem.bitmask();
        BigInteger scalar = new BigInteger(1, candidate);
        Arrays.fill(candidate, (byte) 0);
        if (scalar.signum() != 0 && scalar.compareTo(order) < 0) {
          return keyPairFor(scalar);
        }
      }
      throw new GeneralSecurityException("DeriveKeyPair found no valid scalar in 256 candidates");
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  /**
   * The key pair of {@code privateKey}: a stored private key (a prekey kept as PKCS#8, say) with
   * its public point recomputed, because Decap binds the recipient's public key.
   */
  KeyPair keyPairOf(java.security.interfaces.ECPrivateKey privateKey)
      throws GeneralSecurityException {
    if (!EcKeys.sameCurve(params, privateKey.getParams())) {
      throw new InvalidKeyException("the key is not on " + kem.curveName());
    }
    return new KeyPair(keyPairFor(privateKey.getS()).getPublic(), privateKey);
  }

  /**
   * The key pair of a given scalar. JCA has no "public key from private key"; the point is sk·G
   * from the FIPS module's fixed-point comb multiplier (the one its own key generator uses), and
   * both keys are then built through the module's KeyFactory.
   */
  private KeyPair keyPairFor(BigInteger scalar) throws GeneralSecurityException {
    X9ECParameters curve = ECNamedCurveTable.getByName(kem.curveName());
    org.bouncycastle.math.ec.ECPoint point =
        new FixedPointCombMultiplier().multiply(curve.getG(), scalar).normalize();
    KeyFactory factory = KeyFactory.getInstance("EC", FipsModule.PROVIDER);
    PublicKey publicKey =
        factory.generatePublic(
            new ECPublicKeySpec(
                new ECPoint(
                    point.getAffineXCoord().toBigInteger(), point.getAffineYCoord().toBigInteger()),
                params));
    PrivateKey privateKey = factory.generatePrivate(new ECPrivateKeySpec(scalar, params));
    return new KeyPair(publicKey, privateKey);
  }

  byte[] serialize(ECPublicKey key) throws GeneralSecurityException {
    requireOnCurve(key);
    byte[] out = new byte[kem.publicKeyLength()];
    out[0] = 0x04;
    writeFixed(key.getW().getAffineX(), out, 1, dhLength);
    writeFixed(key.getW().getAffineY(), out, 1 + dhLength, dhLength);
    return out;
  }

  ECPublicKey deserialize(byte[] encoded) throws GeneralSecurityException {
    if (encoded == null || encoded.length != kem.publicKeyLength() || encoded[0] != 0x04) {
      throw new InvalidKeyException("not an uncompressed point of " + kem.curveName());
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(encoded, 1, 1 + dhLength));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(encoded, 1 + dhLength, encoded.length));
    ECPublicKey key;
    try {
      key =
          (ECPublicKey)
              KeyFactory.getInstance("EC", FipsModule.PROVIDER)
                  .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InvalidKeyException("not a valid point of " + kem.curveName(), e);
    }
    requireOnCurve(key);
    return key;
  }

  /** Encap / AuthEncap with a caller-supplied ephemeral key pair. */
  Encapsulation encap(ECPublicKey recipient, KeyPair ephemeral, KeyPair sender)
      throws GeneralSecurityException {
    requireOnCurve(recipient);
    ECPublicKey ephemeralPublic = (ECPublicKey) ephemeral.getPublic();
    requireOnCurve(ephemeralPublic);
    byte[] enc = serialize(ephemeralPublic);
    byte[] dh = dh(ephemeral.getPrivate(), recipient);
    byte[] kemContext = Labels.concat(enc, serialize(recipient));
    if (sender != null) {
      ECPublicKey senderPublic = (ECPublicKey) sender.getPublic();
      requireOnCurve(senderPublic);
      byte[] staticDh = dh(sender.getPrivate(), recipient);
      dh = concatAndZero(dh, staticDh);
      kemContext = Labels.concat(kemContext, serialize(senderPublic));
    }
    return new Encapsulation(extractAndExpand(dh, kemContext), enc);
  }

  /** Decap / AuthDecap; {@code senderPublic} is null outside the auth modes. */
  byte[] decap(byte[] enc, KeyPair recipient, ECPublicKey senderPublic)
      throws GeneralSecurityException {
    ECPublicKey ephemeralPublic = deserialize(enc);
    ECPublicKey recipientPublic = (ECPublicKey) recipient.getPublic();
    requireOnCurve(recipientPublic);
    byte[] dh = dh(recipient.getPrivate(), ephemeralPublic);
    byte[] kemContext = Labels.concat(enc, serialize(recipientPublic));
    if (senderPublic != null) {
      requireOnCurve(senderPublic);
      byte[] staticDh = dh(recipient.getPrivate(), senderPublic);
      dh = concatAndZero(dh, staticDh);
      kemContext = Labels.concat(kemContext, serialize(senderPublic));
    }
    return extractAndExpand(dh, kemContext);
  }

  private byte[] extractAndExpand(byte[] dh, byte[] kemContext) {
    byte[] prk = labels.extract(new byte[0], "eae_prk", dh);
    Arrays.fill(dh, (byte) 0);
    try {
      return labels.expand(prk, "shared_secret", kemContext, kem.secretLength());
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  private byte[] dh(PrivateKey privateKey, ECPublicKey publicKey) throws GeneralSecurityException {
    byte[] z = EcdhAgreement.agree(privateKey, publicKey);
    if (z.length == dhLength) {
      return z;
    }
    byte[] padded = new byte[dhLength];
    System.arraycopy(z, 0, padded, dhLength - z.length, z.length);
    Arrays.fill(z, (byte) 0);
    return padded;
  }

  private void requireOnCurve(ECPublicKey key) throws GeneralSecurityException {
    if (!EcKeys.sameCurve(params, key.getParams())) {
      throw new InvalidKeyException("the key is not on " + kem.curveName());
    }
    EcKeys.requireValidPoint(key);
    if (kem == Kem.DHKEM_P384_HKDF_SHA384) {
      ProtocolCurves.requireP384(key);
    }
  }

  private static byte[] concatAndZero(byte[] a, byte[] b) {
    byte[] out = Labels.concat(a, b);
    Arrays.fill(a, (byte) 0);
    Arrays.fill(b, (byte) 0);
    return out;
  }

  static byte[] twoBytes(int value) {
    return new byte[] {(byte) (value >>> 8), (byte) value};
  }

  private static void writeFixed(BigInteger value, byte[] out, int offset, int length) {
    byte[] bytes = value.toByteArray();
    int start = bytes.length > length ? bytes.length - length : 0;
    int count = bytes.length - start;
    System.arraycopy(bytes, start, out, offset + length - count, count);
  }

  /** The KEM's shared secret (zeroed by the key schedule) and the encapsulated key. */
  record Encapsulation(byte[] sharedSecret, byte[] enc) {}
}
