package io.redoubt.protocol.crypto;

import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.ProtocolCurves;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * ECDSA over P-384 with SHA-384, the protocol's only signature scheme.
 *
 * <p>Signatures travel as DER ({@code SEQUENCE {r, s}}, what X.509 and the JCA use); {@link #toRaw}
 * and {@link #fromRaw} convert to and from the fixed 96-byte r‖s form. Verification accepts strict
 * DER only — one encoding per signature, so a signature cannot be re-encoded into a second valid
 * form — with 0 &lt; r, s &lt; n, before the FIPS module checks the arithmetic.
 */
public final class EcdsaP384 {

  /** JCA name of the algorithm. */
  public static final String ALGORITHM = "SHA384withECDSA";

  /** Length of the raw r‖s form. */
  public static final int RAW_LENGTH = 96;

  private static final int SCALAR_LENGTH = 48;
  private static final BigInteger ORDER =
      new BigInteger(
          "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
              + "581a0db248b0a77aecec196accc52973",
          16);

  private EcdsaP384() {}

  /** Signs {@code message} (hashed with SHA-384 inside) and returns a DER signature. */
  public static byte[] sign(PrivateKey key, byte[] message) throws GeneralSecurityException {
    ProtocolCurves.requireP384(key);
    Signature signature = Signature.getInstance(ALGORITHM, FipsModule.PROVIDER);
    signature.initSign(key, FipsModule.random());
    signature.update(message);
    return signature.sign();
  }

  /**
   * True only when {@code derSignature} is a strict-DER, in-range, valid signature of {@code
   * message} under {@code key}. Malformed input returns false rather than throwing.
   *
   * @throws DisallowedKeyException when the key is not P-384
   * @throws InvalidKeyException when the public point is invalid
   */
  public static boolean verify(ECPublicKey key, byte[] message, byte[] derSignature)
      throws DisallowedKeyException, InvalidKeyException {
    ProtocolCurves.requireP384(key);
    EcKeys.requireValidPoint(key);
    if (parseStrictDer(derSignature) == null) {
      return false;
    }
    try {
      Signature signature = Signature.getInstance(ALGORITHM, FipsModule.PROVIDER);
      signature.initVerify(key);
      signature.update(message);
      return signature.verify(derSignature);
    } catch (SignatureException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the FIPS provider cannot verify " + ALGORITHM, e);
    }
  }

  /**
   * Converts a DER signature to r‖s (48 bytes each, big-endian).
   *
   * @throws SignatureException when the input is not a strict-DER, in-range signature
   */
  public static byte[] toRaw(byte[] derSignature) throws SignatureException {
    BigInteger[] rs = parseStrictDer(derSignature);
    if (rs == null) {
      throw new SignatureException("not a strict-DER P-384 ECDSA signature");
    }
    byte[] raw = new byte[RAW_LENGTH];
    writeFixed(rs[0], raw, 0);
    writeFixed(rs[1], raw, SCALAR_LENGTH);
    return raw;
  }

  /**
   * Converts r‖s to DER.
   *
   * @throws SignatureException when the length is wrong or r or s is out of range
   */
  public static byte[] fromRaw(byte[] raw) throws SignatureException {
    if (raw == null || raw.length != RAW_LENGTH) {
      throw new SignatureException("a raw P-384 signature is " + RAW_LENGTH + " bytes");
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, SCALAR_LENGTH));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, SCALAR_LENGTH, RAW_LENGTH));
    if (!inRange(r) || !inRange(s)) {
      throw new SignatureException("r or s is out of range");
    }
    try {
      return new DERSequence(new ASN1Encodable[] {new ASN1Integer(r), new ASN1Integer(s)})
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new SignatureException("cannot encode signature", e);
    }
  }

  /** {r, s} or null when the encoding is not strict DER or a value is out of range. */
  private static BigInteger[] parseStrictDer(byte[] der) {
    if (der == null || der.length < 8 || der.length > 2 + 2 * (3 + SCALAR_LENGTH) + 1) {
      return null;
    }
    try {
      ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
      if (!(primitive instanceof ASN1Sequence sequence) || sequence.size() != 2) {
        return null;
      }
      if (!(sequence.getObjectAt(0) instanceof ASN1Integer r)
          || !(sequence.getObjectAt(1) instanceof ASN1Integer s)) {
        return null;
      }
      if (!Arrays.equals(sequence.getEncoded(ASN1Encoding.DER), der)) {
        return null;
      }
      BigInteger[] rs = {r.getValue(), s.getValue()};
      return inRange(rs[0]) && inRange(rs[1]) ? rs : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static boolean inRange(BigInteger value) {
    return value.signum() > 0 && value.compareTo(ORDER) < 0;
  }

  private static void writeFixed(BigInteger value, byte[] out, int offset) {
    byte[] bytes = value.toByteArray();
    int start = bytes.length > SCALAR_LENGTH ? bytes.length - SCALAR_LENGTH : 0;
    int length = bytes.length - start;
    System.arraycopy(bytes, start, out, offset + SCALAR_LENGTH - length, length);
  }
}
