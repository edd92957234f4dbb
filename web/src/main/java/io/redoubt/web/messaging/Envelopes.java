package io.redoubt.web.messaging;

import io.redoubt.devices.Device;
import io.redoubt.messaging.DeviceQueues;
import io.redoubt.messaging.EnvelopeRejectedException;
import io.redoubt.messaging.Mailroom;
import io.redoubt.messaging.MessageIdReusedException;
import io.redoubt.messaging.QueuedItem;
import io.redoubt.messaging.RecipientMismatchException;
import io.redoubt.messaging.RecipientQueueFullException;
import io.redoubt.messaging.StoredEnvelope;
import io.redoubt.messaging.UnknownConversationException;
import io.redoubt.protocol.api.ControlMessage;
import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.api.MessageAccepted;
import io.redoubt.protocol.api.QueueItem;
import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.InvalidEnvelopeException;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Envelopes between the wire and the mailroom, for REST and the socket alike: decoding and storing
 * what devices send, and turning queue rows back into wire items.
 */
@ApplicationScoped
public class Envelopes {

  private static final Jsonb JSON = JsonbBuilder.create();

  @EJB Mailroom mailroom;

  /**
   * Decodes and stores an envelope sent by {@code device} of {@code callerId}.
   *
   * @throws InvalidEnvelopeException when a field is missing or malformed
   */
  public Mailroom.Accepted accept(
      UUID conversationId, EnvelopeMessage message, String callerId, Device device)
      throws InvalidEnvelopeException,
          UnknownConversationException,
          EnvelopeRejectedException,
          RecipientMismatchException,
          MessageIdReusedException,
          RecipientQueueFullException {
    Envelope envelope = message.decode();
    // Stored in the canonical wire form of what was decoded, so that what recipients receive is
    // exactly the envelope that was checked, whatever else the posted JSON contained.
    byte[] body = JSON.toJson(EnvelopeMessage.of(envelope)).getBytes(StandardCharsets.UTF_8);
    for (int attempt = 1; ; attempt++) {
      try {
        return mailroom.accept(conversationId, envelope, body, callerId, device);
      } catch (RuntimeException e) {
        if (!DeadlockRetry.again(e, attempt)) {
          throw e;
        }
      }
    }
  }

  /** The answer to a sender. */
  public static MessageAccepted view(Mailroom.Accepted accepted) {
    StoredEnvelope stored = accepted.envelope();
    return new MessageAccepted(
        stored.messageId(),
        stored.receivedAt().toString(),
        stored.expiresAt().toString(),
        stored.recipients());
  }

  /** A page of queue rows as wire items; rows whose envelope is already gone are skipped. */
  public List<QueueItem> items(DeviceQueues.QueuePage page) {
    List<QueueItem> items = new ArrayList<>(page.items().size());
    for (QueuedItem row : page.items()) {
      switch (row.kind()) {
        case ENVELOPE -> {
          StoredEnvelope envelope = page.envelopes().get(row.messageId());
          if (envelope != null) {
            items.add(
                new QueueItem(
                    row.seq(),
                    "envelope",
                    envelope.receivedAt().toString(),
                    fromJson(envelope.body(), EnvelopeMessage.class),
                    null));
          }
        }
        case CONTROL ->
            items.add(
                new QueueItem(
                    row.seq(),
                    "control",
                    row.enqueuedAt().toString(),
                    null,
                    fromJson(row.controlBody(), ControlMessage.class)));
      }
    }
    return items;
  }

  private static <T> T fromJson(byte[] json, Class<T> type) {
    try {
      return JSON.fromJson(new String(json, StandardCharsets.UTF_8), type);
    } catch (JsonbException e) {
      throw new IllegalStateException("a stored " + type.getSimpleName() + " does not parse", e);
    }
  }
}
