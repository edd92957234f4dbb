package io.redoubt.protocol.api;

import io.redoubt.protocol.prekeys.InvalidPrekeyException;
import io.redoubt.protocol.prekeys.SignedPrekey;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * A signed or one-time prekey on the wire. The owning device is implied by the URL or the enclosing
 * object, so the signature (which covers the device id) binds it to exactly one device.
 *
 * @param prekeyId unique per device and never reused
 * @param publicKey base64url (no padding) X.509 SubjectPublicKeyInfo of an ECDH P-384 key
 * @param expiresAt expiry, epoch seconds (the value that is signed)
 * @param signature base64url DER ECDSA P-384/SHA-384 by the device identity key over {@link
 *     SignedPrekey#toBeSigned}
 */
public record PublishedPrekey(long prekeyId, String publicKey, long expiresAt, String signature) {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  /** The wire form of {@code prekey}. */
  public static PublishedPrekey of(SignedPrekey prekey) {
    return new PublishedPrekey(
        prekey.prekeyId(),
        ENCODER.encodeToString(prekey.publicKey()),
        prekey.expiresAt().getEpochSecond(),
        ENCODER.encodeToString(prekey.signature()));
  }

  /**
   * Decodes for {@code deviceId}; the signature is not checked here ({@link SignedPrekey#verify}).
   *
   * @throws InvalidPrekeyException when a field is missing or not base64url
   */
  public SignedPrekey decode(UUID deviceId) throws InvalidPrekeyException {
    if (publicKey == null || signature == null) {
      throw new InvalidPrekeyException("prekey " + prekeyId + " lacks its publicKey or signature");
    }
    if (prekeyId < 0) {
      throw new InvalidPrekeyException("prekey ids are not negative, got " + prekeyId);
    }
    try {
      return new SignedPrekey(
          deviceId,
          prekeyId,
          Base64.getUrlDecoder().decode(publicKey),
          Instant.ofEpochSecond(expiresAt),
          Base64.getUrlDecoder().decode(signature));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new InvalidPrekeyException(
          "prekey " + prekeyId + " is not well formed: " + e.getMessage(), e);
    }
  }
}
