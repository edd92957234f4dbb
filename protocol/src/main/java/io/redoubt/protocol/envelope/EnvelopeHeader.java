package io.redoubt.protocol.envelope;

import io.redoubt.protocol.crypto.HashFunction;
import io.redoubt.protocol.tbs.Tbs;
import io.redoubt.protocol.tbs.TbsLabel;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The clear header of an envelope (docs: messaging, "Header"). Its SHA-384 is the content's AAD,
 * enters every recipient's HPKE info and the sender's signature, so nothing in it can be changed
 * without every recipient noticing.
 *
 * @param version protocol version, {@link #VERSION}
 * @param conversationId the conversation the message belongs to
 * @param messageId made by the sending client (UUIDv7); retries reuse it
 * @param senderUserId the sending user (the token subject)
 * @param senderDeviceId the sending device
 * @param sentAt the sender's clock, informational
 * @param expiresAt when every copy is deleted, delivered or not
 * @param burnOnRead recipients delete the message once shown
 * @param contentType media type of the plaintext
 * @param attachments ids of the blobs the encrypted content refers to
 */
public record EnvelopeHeader(
    int version,
    UUID conversationId,
    UUID messageId,
    String senderUserId,
    UUID senderDeviceId,
    Instant sentAt,
    Instant expiresAt,
    boolean burnOnRead,
    String contentType,
    List<UUID> attachments) {

  /** The only version this code writes and reads. */
  public static final int VERSION = 1;

  public EnvelopeHeader {
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(senderUserId, "senderUserId");
    Objects.requireNonNull(senderDeviceId, "senderDeviceId");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(contentType, "contentType");
    attachments = List.copyOf(attachments);
  }

  /** The TBS encoding, times in epoch milliseconds. */
  public byte[] toBeSigned() {
    Tbs tbs =
        Tbs.of(TbsLabel.MESSAGE_HEADER)
            .integer(version)
            .uuid(conversationId)
            .uuid(messageId)
            .text(senderUserId)
            .uuid(senderDeviceId)
            .integer(sentAt.toEpochMilli())
            .integer(expiresAt.toEpochMilli())
            .flag(burnOnRead)
            .text(contentType)
            .integer(attachments.size());
    attachments.forEach(tbs::uuid);
    return tbs.encode();
  }

  /** SHA-384 of {@link #toBeSigned}: the AAD of the content and the anchor of every signature. */
  public byte[] hash() {
    return HashFunction.SHA384.digest(toBeSigned());
  }
}
