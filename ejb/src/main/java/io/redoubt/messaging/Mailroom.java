package io.redoubt.messaging;

import io.redoubt.devices.Device;
import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.EnvelopeHeader;
import io.redoubt.protocol.envelope.RecipientEntry;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Takes envelopes in: binds each to the device that proved itself, checks membership, lifetime,
 * size, that the recipients are exactly the conversation's active devices and that every attached
 * blob is the sender's own and still claimable, then stores the envelope once, its blob references
 * and a queue row per recipient in one transaction. Only after that commits does the caller answer
 * 201 — the acknowledgement means durable.
 */
@Stateless
public class Mailroom {

  @PersistenceContext(unitName = "redoubt")
  EntityManager em;

  @EJB Conversations conversations;
  @EJB DeviceQueues queues;
  @EJB BlobRegistry blobs;
  @Inject MessagingSettings settings;

  private final Clock clock = Clock.systemUTC();

  /**
   * The stored envelope, and whether this call stored it (false: a retry of one already stored).
   */
  public record Accepted(StoredEnvelope envelope, boolean created) {}

  /**
   * Accepts an envelope from {@code sender}, a device of {@code callerId} that proved itself.
   *
   * @param conversationId the conversation in the request's path
   * @param body the envelope's wire form to store (ciphertext only)
   * @throws UnknownConversationException when the caller is not a member
   * @throws EnvelopeRejectedException naming the rule broken
   * @throws RecipientMismatchException when the recipients are not exactly the active devices
   * @throws MessageIdReusedException when the id is stored with another envelope
   * @throws RecipientQueueFullException when a recipient's queue is full of unexpired items
   */
  public Accepted accept(
      @NotNull UUID conversationId,
      @NotNull Envelope envelope,
      @NotNull byte[] body,
      @NotBlank String callerId,
      @NotNull Device sender)
      throws UnknownConversationException,
          EnvelopeRejectedException,
          RecipientMismatchException,
          MessageIdReusedException,
          RecipientQueueFullException {
    Instant now = clock.instant();
    EnvelopeHeader header = envelope.header();
    checkHeader(conversationId, header, callerId, sender, now);
    checkSize(envelope);

    String messageId = header.messageId().toString();
    StoredEnvelope earlier = em.find(StoredEnvelope.class, messageId);
    if (earlier != null) {
      return retried(earlier, envelope, conversationId);
    }
    // Shared lock: sends in one conversation proceed together, membership changes (which lock
    // for update) wait for them, and they for a change.
    Conversation conversation =
        conversations.forMember(conversationId, callerId, LockModeType.PESSIMISTIC_READ);
    List<String> recipientIds = checkRecipients(conversation, envelope, sender);
    if (settings.verifySignatures()) {
      checkSignature(envelope, sender);
    }
    List<String> full = queues.full(recipientIds, settings.maxQueueLength(), now);
    if (!full.isEmpty()) {
      throw new RecipientQueueFullException(full);
    }
    List<UUID> attachments = header.attachments();
    if (!attachments.isEmpty()) {
      blobs.holdForReference(attachments, callerId, now);
    }
    StoredEnvelope stored =
        new StoredEnvelope(
            messageId,
            conversation.conversationId(),
            callerId,
            sender.deviceId(),
            body,
            envelope.fingerprint(),
            recipientIds.size(),
            now,
            header.expiresAt());
    em.persist(stored);
    em.flush();
    if (!attachments.isEmpty()) {
      blobs.reference(messageId, conversation.conversationId(), attachments, now);
    }
    queues.enqueueEnvelope(messageId, recipientIds, now, header.expiresAt());
    return new Accepted(stored, true);
  }

  private void checkHeader(
      UUID conversationId, EnvelopeHeader header, String callerId, Device sender, Instant now)
      throws EnvelopeRejectedException {
    if (!header.conversationId().equals(conversationId)) {
      throw new EnvelopeRejectedException(
          EnvelopeRejectedException.Reason.MALFORMED,
          "The header names conversation "
              + header.conversationId()
              + ", the request "
              + conversationId
              + ".");
    }
    if (!header.senderUserId().equals(callerId)
        || !header.senderDeviceId().toString().equals(sender.deviceId())) {
      throw new EnvelopeRejectedException(
          EnvelopeRejectedException.Reason.SENDER_NOT_AUTHENTICATED_DEVICE,
          "The header's sender is not the user and device that authenticated this request.");
    }
    if (!header.expiresAt().isAfter(now)) {
      throw new EnvelopeRejectedException(
          EnvelopeRejectedException.Reason.LIFETIME, "The envelope has already expired.");
    }
    Instant latest = now.plus(settings.maxLifetime()).plus(settings.clockSkew());
    if (header.expiresAt().isAfter(latest)) {
      throw new EnvelopeRejectedException(
          EnvelopeRejectedException.Reason.LIFETIME,
          "The envelope's lifetime exceeds the policy maximum of "
              + settings.maxLifetime().toDays()
              + " days.");
    }
    if (header.contentType().isBlank() || header.contentType().length() > 255) {
      throw new EnvelopeRejectedException(
          EnvelopeRejectedException.Reason.MALFORMED,
          "header.contentType must be 1 to 255 characters.");
    }
    if (header.senderUserId().length() > 255) {
      throw new EnvelopeRejectedException(
          EnvelopeRejectedException.Reason.MALFORMED, "header.senderUserId is too long.");
    }
  }

  private void checkSize(Envelope envelope) throws EnvelopeRejectedException {
    int content = envelope.content().ciphertext().length;
    if (content > settings.maxContentBytes()) {
      throw new EnvelopeRejectedException(
          EnvelopeRejectedException.Reason.TOO_LARGE,
          "The content is "
              + content
              + " bytes; at most "
              + settings.maxContentBytes()
              + " are allowed (send files as attachments).");
    }
    int attachments = envelope.header().attachments().size();
    if (attachments > settings.maxAttachments()) {
      throw new EnvelopeRejectedException(
          EnvelopeRejectedException.Reason.TOO_LARGE,
          "At most " + settings.maxAttachments() + " attachments per message.");
    }
  }

  private Accepted retried(StoredEnvelope earlier, Envelope envelope, UUID conversationId)
      throws MessageIdReusedException {
    if (!earlier.conversationId().equals(conversationId.toString())
        || !MessageDigest.isEqual(earlier.fingerprint(), envelope.fingerprint())) {
      throw new MessageIdReusedException(earlier.messageId());
    }
    return new Accepted(earlier, false);
  }

  private List<String> checkRecipients(Conversation conversation, Envelope envelope, Device sender)
      throws RecipientMismatchException {
    Set<String> expected =
        conversations.recipientDevices(conversation.conversationId(), sender.deviceId()).stream()
            .map(Device::deviceId)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> given =
        envelope.recipients().stream()
            .map(RecipientEntry::deviceId)
            .map(UUID::toString)
            .collect(Collectors.toCollection(TreeSet::new));
    if (!expected.equals(given)) {
      List<String> missing = new ArrayList<>(expected);
      missing.removeAll(given);
      List<String> unexpected = new ArrayList<>(given);
      unexpected.removeAll(expected);
      throw new RecipientMismatchException(missing, unexpected);
    }
    return List.copyOf(expected);
  }

  private void checkSignature(Envelope envelope, Device sender) throws EnvelopeRejectedException {
    boolean valid;
    try {
      valid = envelope.signatureValidUnder(sender.identityKey());
    } catch (DisallowedKeyException | InvalidKeyException e) {
      valid = false;
    }
    if (!valid) {
      throw new EnvelopeRejectedException(
          EnvelopeRejectedException.Reason.BAD_SIGNATURE,
          "The envelope's signature is not the sending device's.");
    }
  }
}
