package io.redoubt.messaging;

import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.EnvelopeHeader;
import io.redoubt.protocol.envelope.RecipientEntry;
import java.security.InvalidKeyException;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The rules an envelope must meet to be stored, as pure checks: no database, so that they are the
 * same for every path into the {@link Mailroom} and unit-tested on their own.
 */
public final class EnvelopeRules {

  private final MessagingSettings settings;

  public EnvelopeRules(MessagingSettings settings) {
    this.settings = settings;
  }

  /**
   * The header names the conversation of the request and the authenticated user and device, its
   * lifetime is within policy, its fields within their columns, and the content and attachment
   * count within the limits.
   */
  public void checkHeaderAndSize(
      UUID conversationId, Envelope envelope, String callerId, String senderDeviceId, Instant now)
      throws EnvelopeRejectedException {
    EnvelopeHeader header = envelope.header();
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
        || !header.senderDeviceId().toString().equals(senderDeviceId)) {
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
    int attachments = header.attachments().size();
    if (attachments > settings.maxAttachments()) {
      throw new EnvelopeRejectedException(
          EnvelopeRejectedException.Reason.TOO_LARGE,
          "At most " + settings.maxAttachments() + " attachments per message.");
    }
  }

  /**
   * The envelope's recipients are exactly {@code expected}, the conversation's active devices but
   * the sender's.
   *
   * @return the recipient device ids, sorted
   */
  public static List<String> checkRecipients(Set<String> expected, Envelope envelope)
      throws RecipientMismatchException {
    Set<String> given =
        envelope.recipients().stream()
            .map(RecipientEntry::deviceId)
            .map(UUID::toString)
            .collect(Collectors.toCollection(TreeSet::new));
    if (!given.equals(expected)) {
      List<String> missing = new ArrayList<>(new TreeSet<>(expected));
      missing.removeAll(given);
      List<String> unexpected = new ArrayList<>(given);
      unexpected.removeAll(expected);
      throw new RecipientMismatchException(missing, unexpected);
    }
    return List.copyOf(given);
  }

  /** The envelope is signed by the sending device's identity key. */
  public static void checkSignature(Envelope envelope, ECPublicKey senderIdentityKey)
      throws EnvelopeRejectedException {
    boolean valid;
    try {
      valid = envelope.signatureValidUnder(senderIdentityKey);
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
