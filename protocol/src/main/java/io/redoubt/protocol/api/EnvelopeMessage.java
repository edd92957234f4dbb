package io.redoubt.protocol.api;

import io.redoubt.protocol.crypto.SealedContent;
import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.EnvelopeHeader;
import io.redoubt.protocol.envelope.InvalidEnvelopeException;
import io.redoubt.protocol.envelope.RecipientEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * An envelope on the wire (docs: messaging, "The envelope"): ids as UUID text, times in epoch
 * milliseconds, binary fields base64url without padding. {@link #decode} turns it into the {@link
 * Envelope} whose bytes are signed; the signature itself is not checked there.
 */
public record EnvelopeMessage(
    Header header, Content content, List<Recipient> recipients, String signature) {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  /** The clear header. */
  public record Header(
      int version,
      String conversationId,
      String messageId,
      String senderUserId,
      String senderDeviceId,
      long sentAt,
      long expiresAt,
      boolean burnOnRead,
      String contentType,
      List<String> attachments) {}

  /** The content: AES-256-GCM nonce and ciphertext‖tag. */
  public record Content(String nonce, String ciphertext) {}

  /** The message key wrapped for one device. */
  public record Recipient(String deviceId, long prekeyId, String enc, String wrappedKey) {}

  /** The wire form of {@code envelope}. */
  public static EnvelopeMessage of(Envelope envelope) {
    EnvelopeHeader h = envelope.header();
    return new EnvelopeMessage(
        new Header(
            h.version(),
            h.conversationId().toString(),
            h.messageId().toString(),
            h.senderUserId(),
            h.senderDeviceId().toString(),
            h.sentAt().toEpochMilli(),
            h.expiresAt().toEpochMilli(),
            h.burnOnRead(),
            h.contentType(),
            h.attachments().stream().map(UUID::toString).toList()),
        new Content(
            ENCODER.encodeToString(envelope.content().nonce()),
            ENCODER.encodeToString(envelope.content().ciphertext())),
        envelope.recipients().stream()
            .map(
                r ->
                    new Recipient(
                        r.deviceId().toString(),
                        r.prekeyId(),
                        ENCODER.encodeToString(r.enc()),
                        ENCODER.encodeToString(r.wrappedKey())))
            .toList(),
        ENCODER.encodeToString(envelope.signature()));
  }

  /**
   * The envelope these fields describe.
   *
   * @throws InvalidEnvelopeException naming the first field that is missing or malformed
   */
  public Envelope decode() throws InvalidEnvelopeException {
    if (header == null) {
      throw new InvalidEnvelopeException("the envelope has no header");
    }
    if (content == null) {
      throw new InvalidEnvelopeException("the envelope has no content");
    }
    if (recipients == null || recipients.isEmpty()) {
      throw new InvalidEnvelopeException("the envelope has no recipients");
    }
    if (header.version() != EnvelopeHeader.VERSION) {
      throw new InvalidEnvelopeException(
          "header.version " + header.version() + " is not supported (only 1)");
    }
    List<UUID> attachments = new ArrayList<>();
    for (String blob : required(header.attachments(), "header.attachments")) {
      attachments.add(uuid(blob, "header.attachments[]"));
    }
    EnvelopeHeader decodedHeader =
        new EnvelopeHeader(
            header.version(),
            uuid(header.conversationId(), "header.conversationId"),
            uuid(header.messageId(), "header.messageId"),
            required(header.senderUserId(), "header.senderUserId"),
            uuid(header.senderDeviceId(), "header.senderDeviceId"),
            Instant.ofEpochMilli(header.sentAt()),
            Instant.ofEpochMilli(header.expiresAt()),
            header.burnOnRead(),
            required(header.contentType(), "header.contentType"),
            attachments);
    SealedContent sealed;
    try {
      sealed =
          new SealedContent(
              base64(content.nonce(), "content.nonce"),
              base64(content.ciphertext(), "content.ciphertext"));
    } catch (IllegalArgumentException e) {
      throw new InvalidEnvelopeException("content: " + e.getMessage(), e);
    }
    List<RecipientEntry> entries = new ArrayList<>(recipients.size());
    for (Recipient r : recipients) {
      if (r == null) {
        throw new InvalidEnvelopeException("recipients[] has a null entry");
      }
      if (r.prekeyId() < 0) {
        throw new InvalidEnvelopeException("recipients[].prekeyId is negative");
      }
      entries.add(
          new RecipientEntry(
              uuid(r.deviceId(), "recipients[].deviceId"),
              r.prekeyId(),
              base64(r.enc(), "recipients[].enc"),
              base64(r.wrappedKey(), "recipients[].wrappedKey")));
    }
    try {
      return new Envelope(decodedHeader, sealed, entries, base64(signature, "signature"));
    } catch (IllegalArgumentException e) {
      throw new InvalidEnvelopeException(e.getMessage(), e);
    }
  }

  private static <T> T required(T value, String field) throws InvalidEnvelopeException {
    if (value == null) {
      throw new InvalidEnvelopeException(field + " is missing");
    }
    return value;
  }

  private static UUID uuid(String value, String field) throws InvalidEnvelopeException {
    try {
      UUID id = UUID.fromString(required(value, field));
      if (!id.toString().equals(value)) {
        throw new IllegalArgumentException("not in canonical lower-case form");
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw new InvalidEnvelopeException(field + " is not a UUID: " + e.getMessage(), e);
    }
  }

  private static byte[] base64(String value, String field) throws InvalidEnvelopeException {
    try {
      return Base64.getUrlDecoder().decode(required(value, field));
    } catch (IllegalArgumentException e) {
      throw new InvalidEnvelopeException(field + " is not base64url", e);
    }
  }
}
