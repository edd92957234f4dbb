package io.redoubt.protocol.auth;

import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.crypto.EcdsaP384;
import io.redoubt.protocol.crypto.HashFunction;
import io.redoubt.protocol.tbs.Tbs;
import io.redoubt.protocol.tbs.TbsLabel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A device's proof that it makes this request, sent as the {@value #HEADER} header: {@code
 * <deviceId>.<epoch millis>.<nonce>.<signature>} (nonce and DER signature base64url).
 *
 * <p>The signature covers TBS("redoubt/v1/request-proof", device id, method, raw path, SHA-384 of
 * the bearer token, timestamp, nonce). Binding the token means a proof is worthless without the
 * token it was made for; binding method and path means it cannot be replayed against another
 * endpoint. Freshness (timestamp window) and nonce uniqueness are the verifier's to enforce.
 *
 * @param deviceId the device that claims to ask
 * @param timestamp when the device made the proof (millisecond precision)
 * @param nonce {@value #NONCE_LENGTH} random bytes, unique per proof
 * @param signature DER ECDSA P-384/SHA-384 by the device identity key
 */
public record RequestProof(UUID deviceId, Instant timestamp, byte[] nonce, byte[] signature) {

  /** The HTTP header that carries a proof. */
  public static final String HEADER = "Redoubt-Device-Proof";

  /** Nonce length in bytes. */
  public static final int NONCE_LENGTH = 16;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final int MAX_HEADER_LENGTH = 512;

  public RequestProof {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(timestamp, "timestamp");
    if (nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("request-proof nonces are " + NONCE_LENGTH + " bytes");
    }
    nonce = nonce.clone();
    signature = signature.clone();
  }

  /** Makes a proof for one request with the device's identity key. */
  public static RequestProof sign(
      UUID deviceId,
      String method,
      String path,
      String accessToken,
      PrivateKey identityKey,
      Instant now,
      SecureRandom random)
      throws GeneralSecurityException {
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    Instant timestamp = Instant.ofEpochMilli(now.toEpochMilli());
    byte[] tbs = toBeSigned(deviceId, method, path, tokenHash(accessToken), timestamp, nonce);
    return new RequestProof(deviceId, timestamp, nonce, EcdsaP384.sign(identityKey, tbs));
  }

  /**
   * Parses a header value.
   *
   * @throws MalformedRequestProofException naming what is wrong (never echoing the whole value)
   */
  public static RequestProof parse(String headerValue) throws MalformedRequestProofException {
    if (headerValue == null || headerValue.isBlank()) {
      throw new MalformedRequestProofException("the " + HEADER + " header is missing");
    }
    if (headerValue.length() > MAX_HEADER_LENGTH) {
      throw new MalformedRequestProofException("the " + HEADER + " header is too long");
    }
    String[] parts = headerValue.trim().split("\\.", -1);
    if (parts.length != 4) {
      throw new MalformedRequestProofException(
          HEADER + " must be <deviceId>.<timestamp>.<nonce>.<signature>");
    }
    try {
      UUID deviceId = UUID.fromString(parts[0]);
      if (!deviceId.toString().equals(parts[0].toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("not a canonical UUID");
      }
      Instant timestamp = Instant.ofEpochMilli(Long.parseLong(parts[1]));
      byte[] nonce = Base64.getUrlDecoder().decode(parts[2]);
      byte[] signature = Base64.getUrlDecoder().decode(parts[3]);
      if (nonce.length != NONCE_LENGTH) {
        throw new MalformedRequestProofException(
            HEADER + ": the nonce must be " + NONCE_LENGTH + " bytes");
      }
      return new RequestProof(deviceId, timestamp, nonce, signature);
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new MalformedRequestProofException(HEADER + " is not well formed: " + e.getMessage());
    }
  }

  /** The header value. */
  public String headerValue() {
    return deviceId
        + "."
        + timestamp.toEpochMilli()
        + "."
        + ENCODER.encodeToString(nonce)
        + "."
        + ENCODER.encodeToString(signature);
  }

  /**
   * True when the signature is the device's over this request. Malformed signatures are false.
   *
   * @throws DisallowedKeyException when the key is not P-384
   * @throws InvalidKeyException when the key's point is invalid
   */
  public boolean signatureValidUnder(
      ECPublicKey identityKey, String method, String path, String accessToken)
      throws DisallowedKeyException, InvalidKeyException {
    return EcdsaP384.verify(
        identityKey,
        toBeSigned(deviceId, method, path, tokenHash(accessToken), timestamp, nonce),
        signature);
  }

  /** The exact bytes the identity key signs. */
  public static byte[] toBeSigned(
      UUID deviceId,
      String method,
      String path,
      byte[] tokenHash,
      Instant timestamp,
      byte[] nonce) {
    return Tbs.of(TbsLabel.REQUEST_PROOF)
        .uuid(deviceId)
        .text(method.toUpperCase(Locale.ROOT))
        .text(path)
        .bytes(tokenHash)
        .integer(timestamp.toEpochMilli())
        .bytes(nonce)
        .encode();
  }

  private static byte[] tokenHash(String accessToken) {
    return HashFunction.SHA384.digest(accessToken.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RequestProof that
        && deviceId.equals(that.deviceId)
        && timestamp.equals(that.timestamp)
        && Arrays.equals(nonce, that.nonce)
        && Arrays.equals(signature, that.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(deviceId, timestamp, Arrays.hashCode(nonce));
  }

  @Override
  public String toString() {
    return "RequestProof[device " + deviceId + " at " + timestamp + "]";
  }
}
