package io.redoubt.client.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A message from this device's queue, opened and checked.
 *
 * @param seq its place in the queue (acknowledged by it)
 * @param senderUsername the sender's login name as the verified directory answer gave it; null when
 *     the sender could not be verified
 * @param receivedAt when the server stored it
 * @param content the plaintext; null when the envelope could not be opened
 * @param verified true only when the sender's certificate passed every check and signed this
 *     envelope, and the envelope opened
 * @param problem why it is not verified; null when verified
 */
public record ReceivedMessage(
    long seq,
    UUID messageId,
    UUID conversationId,
    String senderUserId,
    String senderUsername,
    UUID senderDeviceId,
    Instant sentAt,
    Instant receivedAt,
    Instant expiresAt,
    boolean burnOnRead,
    String contentType,
    List<UUID> attachments,
    byte[] content,
    boolean verified,
    String problem) {

  /** The content as text when it is a text message that opened, else null. */
  public String text() {
    return content != null && contentType != null && contentType.startsWith("text/")
        ? new String(content, StandardCharsets.UTF_8)
        : null;
  }

  @Override
  public String toString() {
    return "ReceivedMessage["
        + messageId
        + " in "
        + conversationId
        + (verified ? ", verified" : ", unverified: " + problem)
        + "]";
  }
}
