package io.redoubt.client.device;

import io.redoubt.client.AccessToken;
import io.redoubt.protocol.auth.RequestProof;
import io.redoubt.protocol.crypto.FipsModule;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * This device as it proves itself to the server: its id and identity key, which signs a {@link
 * RequestProof} for each request that must come from a device (docs: messaging, "Request proofs").
 * The key is held, never printed ({@link #toString()}).
 */
public final class DeviceIdentity {

  private final UUID deviceId;
  private final PrivateKey identityKey;
  private final Clock clock;

  public DeviceIdentity(UUID deviceId, PrivateKey identityKey, Clock clock) {
    this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    this.identityKey = Objects.requireNonNull(identityKey, "identityKey");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The device's id, as in its certificate. */
  public UUID deviceId() {
    return deviceId;
  }

  /** The identity key; it signs envelopes as well as proofs. */
  public PrivateKey identityKey() {
    return identityKey;
  }

  /**
   * The {@value RequestProof#HEADER} value for one request: {@code rawPath} is the path exactly as
   * sent, without the query; the proof is bound to {@code token}, so it is useless with another.
   */
  public String proof(String method, String rawPath, AccessToken token)
      throws GeneralSecurityException {
    return RequestProof.sign(
            deviceId,
            method,
            rawPath,
            token.value(),
            identityKey,
            clock.instant(),
            FipsModule.random())
        .headerValue();
  }

  @Override
  public String toString() {
    return "DeviceIdentity[" + deviceId + "]";
  }
}
