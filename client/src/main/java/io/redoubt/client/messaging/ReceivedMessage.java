package io.redoubt.client.messaging;

import io.redoubt.protocol.attachments.AttachmentDescriptor;
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

  /**
   * The content as text when it is a text message that opened, the text beside the files of a file
   * message (null when it has none), else null.
   */
  public String text() {
    if (content == null || contentType == null) {
      return null;
    }
    if (isFileMessage()) {
      return FileMessage.text(content);
    }
    return contentType.startsWith("text/") ? new String(content, StandardCharsets.UTF_8) : null;
  }

  /** Whether this is a file message (content type {@value AttachmentDescriptor#CONTENT_TYPE}). */
  public boolean isFileMessage() {
    return AttachmentDescriptor.CONTENT_TYPE.equals(contentType);
  }

  /**
   * The files of a file message that opened, checked against the header's attachments (see {@link
   * FileMessage}); empty for any other message. The caller destroys the descriptors when done.
   *
   * @throws IllegalArgumentException when the content does not describe exactly the header's blobs
   */
  public List<AttachmentDescriptor> files() {
    return content != null && isFileMessage() ? FileMessage.files(content, attachments) : List.of();
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
