package io.redoubt.web.messaging;

import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.api.SocketFrame;
import io.redoubt.web.errors.JsonBodyCheck;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads a device's socket frame with one streaming pass over the text. Every frame of the relay's
 * hot path (each {@code send} and {@code ack}) comes through here, and a JSON binding of the frame
 * (reflection, one deserializer per property, the records built through their canonical
 * constructors) cost more CPU than storing the message. The result is the same {@link SocketFrame}
 * the binding made, held to the same rules: properties the server does not read are skipped,
 * whatever their value; a missing property is {@code null} (or zero, or {@code false} for the
 * envelope's numbers and flag); a property of the wrong JSON type makes the frame malformed.
 *
 * <p>The frames a device sends carry {@code type}, {@code ticket}, {@code requestId}, {@code seqs},
 * {@code conversationId} and {@code envelope}; the server-to-device properties ({@code item},
 * {@code accepted}, {@code problem}) are skipped like unknown ones, since the server never reads
 * them.
 */
final class SocketFrameReader {

  /** Made once: {@link Json#createParser} looks the provider up on every call. */
  private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

  private SocketFrameReader() {}

  /**
   * The frame {@code text} holds, as the UTF-8 bytes of the WebSocket text frame.
   *
   * @throws JsonException when it is not one JSON object, or a property the server reads has the
   *     wrong type (a {@link jakarta.json.stream.JsonParsingException} when it is not JSON at all)
   */
  static SocketFrame read(byte[] text) {
    // Decoded whole into a String (for ASCII, which a frame almost only is, a copy) rather than
    // through the parser's InputStream reader, which allocates an 8 KB buffer and a decoder per
    // frame. The channel checked the bytes as UTF-8 already.
    try (JsonParser json =
        PARSERS.createParser(new StringReader(new String(text, StandardCharsets.UTF_8)))) {
      if (!json.hasNext() || json.next() != Event.START_OBJECT) {
        throw new JsonException("a socket frame is a JSON object");
      }
      String type = null;
      String ticket = null;
      String requestId = null;
      List<Long> seqs = null;
      String conversationId = null;
      EnvelopeMessage envelope = null;
      for (Event event = json.next(); event != Event.END_OBJECT; event = json.next()) {
        switch (json.getString()) {
          case "type" -> type = string(json);
          case "ticket" -> ticket = string(json);
          case "requestId" -> requestId = string(json);
          case "conversationId" -> conversationId = string(json);
          case "seqs" -> seqs = longs(json);
          case "envelope" -> envelope = envelope(json);
          default -> JsonBodyCheck.skipValue(json);
        }
      }
      if (json.hasNext()) {
        throw new JsonException("a socket frame is one JSON object");
      }
      return new SocketFrame(
          type, ticket, requestId, null, seqs, conversationId, envelope, null, null);
    } catch (NoSuchElementException | IllegalStateException e) {
      // The parser's own words for text that ends early or a value where a name belongs.
      throw new JsonException("not a socket frame", e);
    }
  }

  private static EnvelopeMessage envelope(JsonParser json) {
    if (!startObject(json)) {
      return null;
    }
    EnvelopeMessage.Header header = null;
    EnvelopeMessage.Content content = null;
    List<EnvelopeMessage.Recipient> recipients = null;
    String signature = null;
    for (Event event = json.next(); event != Event.END_OBJECT; event = json.next()) {
      switch (json.getString()) {
        case "header" -> header = header(json);
        case "content" -> content = content(json);
        case "recipients" -> recipients = recipients(json);
        case "signature" -> signature = string(json);
        default -> JsonBodyCheck.skipValue(json);
      }
    }
    return new EnvelopeMessage(header, content, recipients, signature);
  }

  private static EnvelopeMessage.Header header(JsonParser json) {
    if (!startObject(json)) {
      return null;
    }
    int version = 0;
    String conversationId = null;
    String messageId = null;
    String senderUserId = null;
    String senderDeviceId = null;
    long sentAt = 0;
    long expiresAt = 0;
    boolean burnOnRead = false;
    String contentType = null;
    List<String> attachments = null;
    for (Event event = json.next(); event != Event.END_OBJECT; event = json.next()) {
      switch (json.getString()) {
        case "version" -> version = integer(json);
        case "conversationId" -> conversationId = string(json);
        case "messageId" -> messageId = string(json);
        case "senderUserId" -> senderUserId = string(json);
        case "senderDeviceId" -> senderDeviceId = string(json);
        case "sentAt" -> sentAt = number(json);
        case "expiresAt" -> expiresAt = number(json);
        case "burnOnRead" -> burnOnRead = flag(json);
        case "contentType" -> contentType = string(json);
        case "attachments" -> attachments = strings(json);
        default -> JsonBodyCheck.skipValue(json);
      }
    }
    return new EnvelopeMessage.Header(
        version,
        conversationId,
        messageId,
        senderUserId,
        senderDeviceId,
        sentAt,
        expiresAt,
        burnOnRead,
        contentType,
        attachments);
  }

  private static EnvelopeMessage.Content content(JsonParser json) {
    if (!startObject(json)) {
      return null;
    }
    String nonce = null;
    String ciphertext = null;
    for (Event event = json.next(); event != Event.END_OBJECT; event = json.next()) {
      switch (json.getString()) {
        case "nonce" -> nonce = string(json);
        case "ciphertext" -> ciphertext = string(json);
        default -> JsonBodyCheck.skipValue(json);
      }
    }
    return new EnvelopeMessage.Content(nonce, ciphertext);
  }

  private static List<EnvelopeMessage.Recipient> recipients(JsonParser json) {
    if (!startArray(json)) {
      return null;
    }
    List<EnvelopeMessage.Recipient> recipients = new ArrayList<>();
    for (Event event = json.next(); event != Event.END_ARRAY; event = json.next()) {
      if (event == Event.VALUE_NULL) {
        recipients.add(null);
        continue;
      }
      if (event != Event.START_OBJECT) {
        throw new JsonException("recipients[] are objects");
      }
      String deviceId = null;
      long prekeyId = 0;
      String enc = null;
      String wrappedKey = null;
      for (Event field = json.next(); field != Event.END_OBJECT; field = json.next()) {
        switch (json.getString()) {
          case "deviceId" -> deviceId = string(json);
          case "prekeyId" -> prekeyId = number(json);
          case "enc" -> enc = string(json);
          case "wrappedKey" -> wrappedKey = string(json);
          default -> JsonBodyCheck.skipValue(json);
        }
      }
      recipients.add(new EnvelopeMessage.Recipient(deviceId, prekeyId, enc, wrappedKey));
    }
    return recipients;
  }

  /** A string or null; the parser stands on a property's name. */
  private static String string(JsonParser json) {
    Event event = json.next();
    if (event == Event.VALUE_STRING) {
      return json.getString();
    }
    if (event == Event.VALUE_NULL) {
      return null;
    }
    throw new JsonException("expected a string, found " + event);
  }

  private static boolean flag(JsonParser json) {
    Event event = json.next();
    if (event == Event.VALUE_TRUE) {
      return true;
    }
    if (event == Event.VALUE_FALSE || event == Event.VALUE_NULL) {
      return false;
    }
    throw new JsonException("expected true or false, found " + event);
  }

  /** A whole number that fits a long; null counts as zero, as the binding's primitives did. */
  private static long number(JsonParser json) {
    Event event = json.next();
    if (event == Event.VALUE_NULL) {
      return 0;
    }
    return whole(json, event);
  }

  private static int integer(JsonParser json) {
    long value = number(json);
    if (value != (int) value) {
      throw new JsonException("a number out of range");
    }
    return (int) value;
  }

  private static long whole(JsonParser json, Event event) {
    if (event != Event.VALUE_NUMBER || !json.isIntegralNumber()) {
      throw new JsonException("expected a whole number, found " + event);
    }
    try {
      return json.getBigDecimal().longValueExact();
    } catch (ArithmeticException e) {
      throw new JsonException("a number out of range", e);
    }
  }

  /** An array of whole numbers (null entries kept), or null. */
  private static List<Long> longs(JsonParser json) {
    if (!startArray(json)) {
      return null;
    }
    List<Long> values = new ArrayList<>();
    for (Event event = json.next(); event != Event.END_ARRAY; event = json.next()) {
      values.add(event == Event.VALUE_NULL ? null : whole(json, event));
    }
    return values;
  }

  /** An array of strings (null entries kept), or null. */
  private static List<String> strings(JsonParser json) {
    if (!startArray(json)) {
      return null;
    }
    List<String> values = new ArrayList<>();
    for (Event event = json.next(); event != Event.END_ARRAY; event = json.next()) {
      if (event == Event.VALUE_STRING) {
        values.add(json.getString());
      } else if (event == Event.VALUE_NULL) {
        values.add(null);
      } else {
        throw new JsonException("expected strings, found " + event);
      }
    }
    return values;
  }

  /** True at the start of an object, false for null. */
  private static boolean startObject(JsonParser json) {
    Event event = json.next();
    if (event == Event.START_OBJECT) {
      return true;
    }
    if (event == Event.VALUE_NULL) {
      return false;
    }
    throw new JsonException("expected an object, found " + event);
  }

  /** True at the start of an array, false for null. */
  private static boolean startArray(JsonParser json) {
    Event event = json.next();
    if (event == Event.START_ARRAY) {
      return true;
    }
    if (event == Event.VALUE_NULL) {
      return false;
    }
    throw new JsonException("expected an array, found " + event);
  }
}
