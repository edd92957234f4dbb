package io.redoubt.web.messaging;

import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.EnvelopeHeader;
import io.redoubt.protocol.envelope.RecipientEntry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The JSON the relay writes once per message, written by hand: the canonical envelope that is
 * stored and the {@code accepted} frame. A JSON binding of these (reflection over the records, a
 * generator, an intermediate {@link io.redoubt.protocol.api.EnvelopeMessage}) cost the sending
 * socket more CPU than the database spends on the message. The text is byte for byte what JSON-B
 * writes for the same records (properties in lexicographic order, nulls left out, strings escaped
 * as Parsson escapes them); the unit test holds the two together.
 */
final class WireJson {

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private WireJson() {}

  /**
   * The wire form ({@link io.redoubt.protocol.api.EnvelopeMessage}) of a decoded envelope as UTF-8,
   * as it is stored and handed to recipients.
   */
  static byte[] envelope(Envelope envelope) {
    EnvelopeHeader h = envelope.header();
    List<RecipientEntry> recipients = envelope.recipients();
    StringBuilder out =
        new StringBuilder(
            512
                + envelope.content().ciphertext().length * 4 / 3
                + recipients.size() * 300
                + h.attachments().size() * 40);
    out.append("{\"content\":{\"ciphertext\":\"");
    base64(out, envelope.content().ciphertext());
    out.append("\",\"nonce\":\"");
    base64(out, envelope.content().nonce());
    out.append("\"},\"header\":{\"attachments\":[");
    List<UUID> attachments = h.attachments();
    for (int i = 0; i < attachments.size(); i++) {
      out.append(i == 0 ? "\"" : ",\"").append(attachments.get(i)).append('"');
    }
    out.append("],\"burnOnRead\":").append(h.burnOnRead()).append(",\"contentType\":");
    string(out, h.contentType());
    out.append(",\"conversationId\":\"")
        .append(h.conversationId())
        .append("\",\"expiresAt\":")
        .append(h.expiresAt().toEpochMilli())
        .append(",\"messageId\":\"")
        .append(h.messageId())
        .append("\",\"senderDeviceId\":\"")
        .append(h.senderDeviceId())
        .append("\",\"senderUserId\":");
    string(out, h.senderUserId());
    out.append(",\"sentAt\":")
        .append(h.sentAt().toEpochMilli())
        .append(",\"version\":")
        .append(h.version())
        .append("},\"recipients\":[");
    for (int i = 0; i < recipients.size(); i++) {
      RecipientEntry r = recipients.get(i);
      out.append(i == 0 ? "{\"deviceId\":\"" : ",{\"deviceId\":\"")
          .append(r.deviceId())
          .append("\",\"enc\":\"");
      base64(out, r.enc());
      out.append("\",\"prekeyId\":").append(r.prekeyId()).append(",\"wrappedKey\":\"");
      base64(out, r.wrappedKey());
      out.append("\"}");
    }
    out.append("],\"signature\":\"");
    base64(out, envelope.signature());
    out.append("\"}");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The {@code accepted} frame answering the send of {@code requestId} (a {@link
   * io.redoubt.protocol.api.SocketFrame} of type {@code accepted}).
   */
  static String acceptedFrame(String requestId, io.redoubt.messaging.Mailroom.Accepted accepted) {
    StringBuilder out = new StringBuilder(200 + (requestId == null ? 0 : requestId.length()));
    out.append("{\"accepted\":{\"expiresAt\":\"")
        .append(accepted.expiresAt())
        .append("\",\"messageId\":");
    string(out, accepted.messageId());
    out.append(",\"receivedAt\":\"")
        .append(accepted.receivedAt())
        .append("\",\"recipients\":")
        .append(accepted.recipients())
        .append('}');
    if (requestId != null) {
      out.append(",\"requestId\":");
      string(out, requestId);
    }
    return out.append(",\"type\":\"accepted\"}").toString();
  }

  private static void base64(StringBuilder out, byte[] bytes) {
    // The encoder's output is ASCII: appended as Latin-1 without a String in between.
    byte[] encoded = BASE64URL.encode(bytes);
    for (byte b : encoded) {
      out.append((char) b);
    }
  }

  /** A JSON string, escaped as Parsson's generator escapes it. */
  static void string(StringBuilder out, String value) {
    out.append('"');
    int start = 0;
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(value, start, i);
      start = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    out.append(value, start, n).append('"');
  }
}
