package io.redoubt.protocol.hpke;

import io.redoubt.protocol.crypto.HashFunction;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;

/**
 * The DHKEMs over the NIST curves (RFC 9180 §7.1), the FIPS-approved ones. X25519/X448 are not
 * approved and are absent. The protocol uses {@link #DHKEM_P384_HKDF_SHA384}; P-256 and P-521 are
 * here so that the generic code is proven against the RFC's published vectors.
 */
public enum Kem {
  DHKEM_P256_HKDF_SHA256(0x0010, "secp256r1", HashFunction.SHA256, 32, 65, 32, 0xFF),
  DHKEM_P384_HKDF_SHA384(0x0011, "secp384r1", HashFunction.SHA384, 48, 97, 48, 0xFF),
  DHKEM_P521_HKDF_SHA512(0x0012, "secp521r1", HashFunction.SHA512, 64, 133, 66, 0x01);

  private final int id;
  private final String curveName;
  private final HashFunction hash;
  private final int secretLength;
  private final int publicKeyLength;
  private final int privateKeyLength;
  private final int bitmask;

  Kem(
      int id,
      String curveName,
      HashFunction hash,
      int secretLength,
      int publicKeyLength,
      int privateKeyLength,
      int bitmask) {
    this.id = id;
    this.curveName = curveName;
    this.hash = hash;
    this.secretLength = secretLength;
    this.publicKeyLength = publicKeyLength;
    this.privateKeyLength = privateKeyLength;
    this.bitmask = bitmask;
  }

  public int id() {
    return id;
  }

  /** The standard name of the curve. */
  public String curveName() {
    return curveName;
  }

  /** Nsecret. */
  public int secretLength() {
    return secretLength;
  }

  /** Npk = Nenc: an uncompressed SEC1 point. */
  public int publicKeyLength() {
    return publicKeyLength;
  }

  /** Nsk. */
  public int privateKeyLength() {
    return privateKeyLength;
  }

  HashFunction hash() {
    return hash;
  }

  int bitmask() {
    return bitmask;
  }

  /** A fresh key pair on this KEM's curve from the FIPS module's generator. */
  public KeyPair generateKeyPair(SecureRandom random) throws GeneralSecurityException {
    return Dhkem.of(this).generateKeyPair(random);
  }

  /**
   * DeriveKeyPair (RFC 9180 §7.1.3): rejection sampling over LabeledExpand("candidate", counter),
   * deterministic in {@code ikm}. Used by the RFC vectors; production keys come from {@link
   * #generateKeyPair}.
   */
  public KeyPair deriveKeyPair(byte[] ikm) throws GeneralSecurityException {
    return Dhkem.of(this).deriveKeyPair(ikm);
  }

  /**
   * The key pair of a stored private key on this KEM's curve (its public point recomputed), for a
   * recipient that keeps only private keys.
   */
  public KeyPair keyPairOf(java.security.interfaces.ECPrivateKey privateKey)
      throws GeneralSecurityException {
    return Dhkem.of(this).keyPairOf(privateKey);
  }

  /** SerializePublicKey: the uncompressed point 0x04‖x‖y. */
  public byte[] serializePublicKey(ECPublicKey key) throws GeneralSecurityException {
    return Dhkem.of(this).serialize(key);
  }

  /**
   * DeserializePublicKey, with full point validation and a check that the point is on this KEM's
   * curve.
   */
  public ECPublicKey deserializePublicKey(byte[] encoded) throws GeneralSecurityException {
    return Dhkem.of(this).deserialize(encoded);
  }

  /** The KEM with this registry id. */
  public static Kem byId(int id) {
    for (Kem kem : values()) {
      if (kem.id == id) {
        return kem;
      }
    }
    throw new IllegalArgumentException("unsupported HPKE KEM id " + id);
  }
}
