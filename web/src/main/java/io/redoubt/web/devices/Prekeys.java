package io.redoubt.web.devices;

import io.redoubt.prekeys.PrekeyStatus;
import io.redoubt.protocol.api.PrekeyStatusResponse;
import io.redoubt.protocol.api.PublishedPrekey;
import io.redoubt.protocol.prekeys.InvalidPrekeyException;
import io.redoubt.protocol.prekeys.SignedPrekey;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Wire ↔ domain for prekeys. */
final class Prekeys {

  private Prekeys() {}

  /**
   * Decodes a batch for {@code deviceId}; an absent batch is empty. Its size and every signature
   * are checked by {@link io.redoubt.prekeys.PrekeyStore}; the API's body limit bounds the
   * decoding.
   */
  static List<SignedPrekey> decode(List<PublishedPrekey> batch, UUID deviceId)
      throws InvalidPrekeyException {
    if (batch == null) {
      return List.of();
    }
    List<SignedPrekey> decoded = new ArrayList<>(batch.size());
    for (PublishedPrekey prekey : batch) {
      if (prekey == null) {
        throw new InvalidPrekeyException("a prekey in the batch is null");
      }
      decoded.add(prekey.decode(deviceId));
    }
    return decoded;
  }

  static PrekeyStatusResponse view(PrekeyStatus status, int replenishBelow) {
    return new PrekeyStatusResponse(
        status.deviceId(),
        status.oneTimeRemaining(),
        replenishBelow,
        status.signedPrekeyId(),
        status.signedPrekeyExpiresAt() == null
            ? 0
            : status.signedPrekeyExpiresAt().getEpochSecond());
  }
}
