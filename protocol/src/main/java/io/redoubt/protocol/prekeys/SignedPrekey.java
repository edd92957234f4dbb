package io.redoubt.protocol.prekeys;

import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.ProtocolCurves;
import io.redoubt.protocol.crypto.EcKeys;
import io.redoubt.protocol.crypto.EcdsaP384;
import io.redoubt.protocol.tbs.Tbs;
import io.redoubt.protocol.tbs.TbsLabel;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * One prekey as published: signed prekeys (rotated, default every 7 days) and one-time prekeys
 * share this shape.
 *
 * @param deviceId the device that owns it (chosen by the device, fixed at enrollment)
 * @param prekeyId unique per device; a claimed one-time prekey's id is never reused
 * @param publicKey X.509 SubjectPublicKeyInfo of an ECDH P-384 key
 * @param expiresAt after this, senders must not use it
 * @param signature DER ECDSA P-384/SHA-384 by the device identity key over {@link #toBeSigned}
 */
public record SignedPrekey(
    UUID deviceId, long prekeyId, byte[] publicKey, Instant expiresAt, byte[] signature) {

  public SignedPrekey {
    Objects.requireNonNull(deviceId);
    Objects.requireNonNull(expiresAt);
    publicKey = publicKey.clone();
    signature = signature.clone();
  }

  /** Signs {@code prekey} with the device's identity key. */
  public static SignedPrekey sign(
      UUID deviceId, long prekeyId, ECPublicKey prekey, Instant expiresAt, PrivateKey identityKey)
      throws GeneralSecurityException {
    ProtocolCurves.requireP384(prekey);
    byte[] encoded = prekey.getEncoded();
    byte[] tbs = toBeSigned(deviceId, prekeyId, encoded, expiresAt);
    return new SignedPrekey(
        deviceId, prekeyId, encoded, expiresAt, EcdsaP384.sign(identityKey, tbs));
  }

  /**
   * Checks the signature under the device's identity key, the curve, and the expiry.
   *
   * @throws InvalidPrekeyException naming what is wrong
   */
  public void verify(ECPublicKey identityKey, Instant now) throws InvalidPrekeyException {
    if (!now.isBefore(expiresAt)) {
      throw new InvalidPrekeyException("prekey " + prekeyId + " expired at " + expiresAt);
    }
    ECPublicKey prekey;
    try {
      prekey = EcKeys.decodeSubjectPublicKeyInfo(publicKey);
      ProtocolCurves.requireP384(prekey);
    } catch (InvalidKeyException | DisallowedKeyException e) {
      throw new InvalidPrekeyException("prekey " + prekeyId + ": " + e.getMessage(), e);
    }
    boolean valid;
    try {
      valid =
          EcdsaP384.verify(
              identityKey, toBeSigned(deviceId, prekeyId, publicKey, expiresAt), signature);
    } catch (DisallowedKeyException | InvalidKeyException e) {
      throw new InvalidPrekeyException("the identity key cannot verify: " + e.getMessage(), e);
    }
    if (!valid) {
      throw new InvalidPrekeyException(
          "prekey " + prekeyId + " is not signed by this device's identity key");
    }
  }

  /** The exact bytes the identity key signs. */
  public static byte[] toBeSigned(
      UUID deviceId, long prekeyId, byte[] publicKey, Instant expiresAt) {
    return Tbs.of(TbsLabel.PREKEY)
        .uuid(deviceId)
        .integer(prekeyId)
        .bytes(publicKey)
        .integer(expiresAt.getEpochSecond())
        .encode();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SignedPrekey that
        && deviceId.equals(that.deviceId)
        && prekeyId == that.prekeyId
        && Arrays.equals(publicKey, that.publicKey)
        && expiresAt.equals(that.expiresAt)
        && Arrays.equals(signature, that.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(deviceId, prekeyId, Arrays.hashCode(publicKey), expiresAt);
  }

  @Override
  public String toString() {
    return "SignedPrekey[device " + deviceId + ", id " + prekeyId + ", expires " + expiresAt + "]";
  }
}
