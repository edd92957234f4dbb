package io.redoubt.client.messaging;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The ids of messages this device already showed, so that a second delivery (delivery is at least
 * once) is dropped. Only verified messages are recorded: otherwise a forged envelope under a real
 * message id, delivered first, would suppress the real one. Entries may be forgotten once the
 * message expired, as the server deletes every copy then.
 */
public interface SeenMessages {

  /** Whether {@code messageId} was recorded. */
  boolean contains(UUID messageId) throws IOException;

  /** Records {@code messageId}, which can be forgotten after {@code expiresAt}. */
  void add(UUID messageId, Instant expiresAt) throws IOException;

  /**
   * Forgets {@code messageId}, so that its next delivery is shown again: for a message that could
   * not be handled completely (an attachment that failed to download) and was not acknowledged.
   */
  void forget(UUID messageId) throws IOException;

  /** A record that lasts as long as the process. */
  static SeenMessages inMemory() {
    Map<UUID, Instant> seen = new HashMap<>();
    return new SeenMessages() {
      @Override
      public boolean contains(UUID messageId) {
        return seen.containsKey(messageId);
      }

      @Override
      public void add(UUID messageId, Instant expiresAt) {
        seen.put(messageId, expiresAt);
      }

      @Override
      public void forget(UUID messageId) {
        seen.remove(messageId);
      }
    };
  }
}
