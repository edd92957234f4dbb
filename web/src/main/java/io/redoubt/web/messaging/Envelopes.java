package io.redoubt.web.messaging;

import io.redoubt.devices.Device;
import io.redoubt.messaging.DeviceQueues;
import io.redoubt.messaging.EnvelopeRejectedException;
import io.redoubt.messaging.EnvelopeRules;
import io.redoubt.messaging.Mailroom;
import io.redoubt.messaging.MessageIdReusedException;
import io.redoubt.messaging.MessagingSettings;
import io.redoubt.messaging.RecipientMismatchException;
import io.redoubt.messaging.RecipientQueueFullException;
import io.redoubt.messaging.UnknownConversationException;
import io.redoubt.protocol.api.ControlMessage;
import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.api.MessageAccepted;
import io.redoubt.protocol.api.QueueItem;
import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.InvalidEnvelopeException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Envelopes between the wire and the mailroom, for REST and the socket alike: decoding and storing
 * what devices send, and turning queue rows back into wire items.
 */
@ApplicationScoped
public class Envelopes {

  private static final Jsonb JSON = JsonbBuilder.create();

  @Inject CommitQueue commits;
  @Inject MessagingSettings settings;

  /**
   * Decodes an envelope sent by {@code device} of {@code callerId} and queues it for the next group
   * commit; the stage completes with the outcome once that transaction committed.
   *
   * @throws InvalidEnvelopeException when a field is missing or malformed
   * @throws EnvelopeRejectedException when the server checks signatures and this one is not the
   *     device's
   */
  public CompletableFuture<Mailroom.Outcome> submit(
      UUID conversationId, EnvelopeMessage message, String callerId, Device device)
      throws InvalidEnvelopeException, EnvelopeRejectedException, ServerBusyException {
    Envelope envelope = message.decode();
    if (settings.verifySignatures()) {
      // Here, on the caller's thread, not in the batch: the committer must not do asymmetric
      // crypto for every message of a batch on one core.
      EnvelopeRules.checkSignature(envelope, device.identityKey());
    }
    // Stored in the canonical wire form of what was decoded, so that what recipients receive is
    // exactly the envelope that was checked, whatever else the posted JSON contained.
    byte[] body = WireJson.envelope(envelope);
    return commits.send(
        new Mailroom.Submission(conversationId, envelope, body, callerId, device.deviceId()));
  }

  /** As {@link #submit}, waiting for the outcome: for REST. */
  public Mailroom.Accepted accept(
      UUID conversationId, EnvelopeMessage message, String callerId, Device device)
      throws InvalidEnvelopeException,
          UnknownConversationException,
          EnvelopeRejectedException,
          RecipientMismatchException,
          MessageIdReusedException,
          RecipientQueueFullException,
          ServerBusyException {
    Mailroom.Outcome outcome =
        CommitQueue.awaitCommitted(
            submit(conversationId, message, callerId, device), "the envelope");
    return accepted(outcome);
  }

  /** The outcome's acceptance, or its refusal thrown as what it is. */
  public static Mailroom.Accepted accepted(Mailroom.Outcome outcome)
      throws UnknownConversationException,
          EnvelopeRejectedException,
          RecipientMismatchException,
          MessageIdReusedException,
          RecipientQueueFullException {
    Exception refusal = outcome.refusal();
    if (refusal == null) {
      return outcome.accepted();
    }
    if (refusal instanceof UnknownConversationException e) {
      throw e;
    }
    if (refusal instanceof EnvelopeRejectedException e) {
      throw e;
    }
    if (refusal instanceof RecipientMismatchException e) {
      throw e;
    }
    if (refusal instanceof MessageIdReusedException e) {
      throw e;
    }
    if (refusal instanceof RecipientQueueFullException e) {
      throw e;
    }
    throw new IllegalStateException("an envelope was refused for an unexpected reason", refusal);
  }

  /** The answer to a sender. */
  public static MessageAccepted view(Mailroom.Accepted accepted) {
    return new MessageAccepted(
        accepted.messageId(),
        accepted.receivedAt().toString(),
        accepted.expiresAt().toString(),
        accepted.recipients());
  }

  /** A page of queue rows as wire items; rows whose envelope is already gone are skipped. */
  public List<QueueItem> items(DeviceQueues.QueuePage page) {
    List<QueueItem> items = new ArrayList<>(page.items().size());
    for (DeviceQueues.QueuePage.Item row : page.items()) {
      if (row.present()) {
        items.add(
            switch (row.kind()) {
              case ENVELOPE ->
                  new QueueItem(
                      row.seq(),
                      "envelope",
                      row.at().toString(),
                      fromJson(row.payload(), EnvelopeMessage.class),
                      null);
              case CONTROL ->
                  new QueueItem(
                      row.seq(),
                      "control",
                      row.at().toString(),
                      null,
                      fromJson(row.payload(), ControlMessage.class));
            });
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
