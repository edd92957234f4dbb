package io.redoubt.web.messaging;

import io.redoubt.devices.Device;
import io.redoubt.devices.DeviceRegistry;
import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.auth.MalformedRequestProofException;
import io.redoubt.protocol.auth.RequestProof;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.InvalidKeyException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks {@code Redoubt-Device-Proof} (docs: messaging, "Request proofs"): fresh (within {@link
 * #WINDOW} of this server's clock), not seen before in that window, signed by the identity key of
 * an active device of the caller, over this method, path and bearer token.
 *
 * <p>Seen nonces are kept in memory for the window. On a cluster a proof could be replayed once on
 * another node within the window — but only with the same token, method and path, by someone who
 * already holds the token and a proof for exactly that request. Sends are idempotent by message id,
 * so such a replay changes nothing.
 */
@ApplicationScoped
public class DeviceProofs {

  /** How far a proof's timestamp may be from this server's clock, either way. */
  static final Duration WINDOW = Duration.ofMinutes(2);

  /** Bounds memory under a flood of proofs; beyond it, new proofs are refused until some age. */
  private static final int MAX_REMEMBERED = 200_000;

  @EJB DeviceRegistry devices;

  private final Map<String, Instant> seenNonces = new ConcurrentHashMap<>();
  private final Clock clock = Clock.systemUTC();

  /**
   * The device that proved this request.
   *
   * @param proofHeader the header's value (may be null)
   * @param method the HTTP method
   * @param rawPath the request's raw path, without the query
   * @param accessToken the bearer token the request carries
   * @param callerId the token's subject
   * @throws DeviceProofException naming what is wrong
   */
  public Device verify(
      String proofHeader, String method, String rawPath, String accessToken, String callerId)
      throws DeviceProofException {
    RequestProof proof;
    try {
      proof = RequestProof.parse(proofHeader);
    } catch (MalformedRequestProofException e) {
      throw new DeviceProofException(401, e.getMessage());
    }
    Instant now = clock.instant();
    if (Duration.between(proof.timestamp(), now).abs().compareTo(WINDOW) > 0) {
      throw new DeviceProofException(
          401, "The device proof's time is more than 2 minutes from the server's clock.");
    }
    Device device = device(proof.deviceId(), callerId);
    boolean valid;
    try {
      valid = proof.signatureValidUnder(device.identityKey(), method, rawPath, accessToken);
    } catch (DisallowedKeyException | InvalidKeyException e) {
      valid = false;
    }
    if (!valid) {
      throw new DeviceProofException(
          401, "The device proof is not signed by this device for this request and token.");
    }
    rememberOnce(proof, now);
    return device;
  }

  private Device device(UUID deviceId, String callerId) throws DeviceProofException {
    Device device =
        devices
            .find(deviceId)
            .filter(d -> d.userId().equals(callerId))
            .orElseThrow(
                () -> new DeviceProofException(403, "No device " + deviceId + " of yours."));
    if (!device.isActive()) {
      throw new DeviceProofException(403, "Device " + deviceId + " is revoked.");
    }
    return device;
  }

  /** Only after the signature holds, so that nobody can burn another device's nonces. */
  private void rememberOnce(RequestProof proof, Instant now) throws DeviceProofException {
    if (seenNonces.size() >= MAX_REMEMBERED) {
      forgetOlderThan(now.minus(WINDOW));
      if (seenNonces.size() >= MAX_REMEMBERED) {
        throw new DeviceProofException(401, "Too many device proofs; try again shortly.");
      }
    }
    String key =
        proof.deviceId()
            + "/"
            + Base64.getUrlEncoder().withoutPadding().encodeToString(proof.nonce());
    if (seenNonces.putIfAbsent(key, proof.timestamp()) != null) {
      throw new DeviceProofException(401, "This device proof was used before.");
    }
    if (seenNonces.size() % 1024 == 0) {
      forgetOlderThan(now.minus(WINDOW));
    }
  }

  private void forgetOlderThan(Instant cutoff) {
    Iterator<Map.Entry<String, Instant>> entries = seenNonces.entrySet().iterator();
    while (entries.hasNext()) {
      // A proof older than the window is refused as stale, so its nonce need not be kept.
      if (entries.next().getValue().isBefore(cutoff)) {
        entries.remove();
      }
    }
  }
}
