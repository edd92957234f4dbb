package io.redoubt.client.messaging;

import io.redoubt.client.AccessToken;
import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.RedoubtClient;
import io.redoubt.client.device.DeviceIdentity;
import io.redoubt.client.device.PrekeyVault;
import io.redoubt.client.directory.DeviceRejectedException;
import io.redoubt.client.directory.PeerDevices;
import io.redoubt.client.transparency.MonitorState;
import io.redoubt.client.transparency.TransparencyException;
import io.redoubt.client.trust.RevocationCheck;
import io.redoubt.protocol.api.ControlMessage;
import io.redoubt.protocol.api.ConversationResponse;
import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.api.MessageAccepted;
import io.redoubt.protocol.api.QueueItem;
import io.redoubt.protocol.api.QueueResponse;
import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.EnvelopeHeader;
import io.redoubt.protocol.envelope.EnvelopeOpener;
import io.redoubt.protocol.envelope.EnvelopeSealer;
import io.redoubt.protocol.envelope.InvalidEnvelopeException;
import io.redoubt.protocol.envelope.UnopenableEnvelopeException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One device's messaging: sends sealed envelopes to a conversation and receives its own queue.
 *
 * <p>Sending: the recipients are fetched and every one is verified ({@link RecipientCheck}) before
 * sealing; the envelope gets a fresh UUIDv7 id and the conversation's default lifetime. When the
 * server answers 409 (the recipient set changed between fetch and send) the recipients are fetched
 * again and the message sealed anew under the same id, at most {@value #SEAL_ATTEMPTS} times. When
 * the network fails, the same envelope is sent again ({@value #POST_ATTEMPTS} attempts): the server
 * stores a message id once and answers a repeat as accepted. Given an open {@link QueueSocket}, the
 * envelope goes over it (no bearer-token check or device proof per message); if the socket closes
 * or stays silent before the server answers, the same envelope goes over REST.
 *
 * <p>Receiving: each envelope's sender is verified ({@link SenderCheck}) and the envelope opened
 * with the device's prekeys; a one-time prekey is destroyed once it opened a message. A message
 * that fails any step is returned unverified with the reason, never dropped silently and never
 * marked verified. A verified message already seen (by id) is dropped as a duplicate.
 *
 * <p>The transparency state moves forward as heads and certificates are checked: save {@link
 * #state()} when done. Not thread-safe; one device, one thread.
 */
public final class Messenger {

  /** How often a message is sealed anew when the recipient set changed under it. */
  static final int SEAL_ATTEMPTS = 3;

  /** How often one envelope is posted when the network fails. */
  static final int POST_ATTEMPTS = 3;

  /**
   * How often, in all, one envelope is sent when the server asks for it later (429 rate limited,
   * 503 busy or a recipient's queue full) with a {@code Retry-After} of at most {@link
   * #LONGEST_WAIT}. A refusal of either kind stored nothing, and the same message id is stored once
   * anyway.
   */
  static final int LATER_ATTEMPTS = 3;

  /** The longest {@code Retry-After} a send waits out itself; a longer one is the caller's call. */
  static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

  /** Queue page size (the server's maximum is 500). */
  static final int PAGE = 200;

  /** Sequence numbers per acknowledgement. */
  static final int ACK_BATCH = 500;

  /**
   * How long a send over the socket waits for the server's answer before the envelope goes over
   * REST instead: the server answers once the envelope is committed, normally within milliseconds.
   */
  static final Duration SOCKET_ANSWER_TIMEOUT = Duration.ofSeconds(20);

  private final RedoubtClient client;
  private final DeviceIdentity device;
  private final PrekeyVault vault;
  private final PeerDevices peers;
  private final RevocationCheck.Verified revocations;
  private final SeenMessages seen;
  private final Clock clock;
  private MonitorState state;

  /**
   * @param state the profile's transparency state; its user is the sending user
   * @param revocations the CA's revocation list, verified by the caller
   */
  public Messenger(
      RedoubtClient client,
      DeviceIdentity device,
      PrekeyVault vault,
      PeerDevices peers,
      RevocationCheck.Verified revocations,
      MonitorState state,
      SeenMessages seen,
      Clock clock) {
    this.client = client;
    this.device = device;
    this.vault = vault;
    this.peers = peers;
    this.revocations = revocations;
    this.state = state;
    this.seen = seen;
    this.clock = clock;
  }

  /** The transparency state with everything checked so far; the caller saves it. */
  public MonitorState state() {
    return state;
  }

  /**
   * As {@link #send(AccessToken, UUID, OutgoingMessage, QueueSocket)} without a socket: seals
   * {@code message} for every device of {@code conversationId} and posts it over REST.
   */
  public Sent send(AccessToken token, UUID conversationId, OutgoingMessage message)
      throws IOException,
          InterruptedException,
          RedoubtApiException,
          GeneralSecurityException,
          DeviceRejectedException,
          TransparencyException {
    return send(token, conversationId, message, null);
  }

  /**
   * Seals {@code message} for every device of {@code conversationId} and sends it over {@code
   * socket} when it is open (this device's own socket, opened under {@code token}), over REST
   * otherwise. The recipients are fetched and verified over REST in either case.
   *
   * @param socket this device's socket, or null
   * @throws DeviceRejectedException when a recipient device fails a check (nothing is sent)
   * @throws TransparencyException when the recipients' tree head does not verify
   * @throws RedoubtApiException when the server refuses the message, over either path
   */
  public Sent send(
      AccessToken token, UUID conversationId, OutgoingMessage message, QueueSocket socket)
      throws IOException,
          InterruptedException,
          RedoubtApiException,
          GeneralSecurityException,
          DeviceRejectedException,
          TransparencyException {
    ConversationResponse conversation = client.conversation(token, conversationId);
    Duration lifetime =
        message.lifetime() != null
            ? message.lifetime()
            : Duration.ofSeconds(conversation.defaultLifetimeSeconds());
    UUID messageId = MessageIds.next(clock, FipsModule.random());
    RecipientCheck check = new RecipientCheck(peers, clock);
    for (int attempt = 1; ; attempt++) {
      RecipientCheck.Result recipients =
          check.verify(
              state,
              conversationId,
              device.deviceId(),
              client.recipients(token, device, conversationId),
              revocations);
      state = recipients.state();
      Instant now = Instant.ofEpochMilli(clock.millis());
      EnvelopeHeader header =
          new EnvelopeHeader(
              EnvelopeHeader.VERSION,
              conversationId,
              messageId,
              state.userId(),
              device.deviceId(),
              now,
              now.plus(lifetime),
              message.burnOnRead(),
              message.contentType(),
              message.attachments());
      byte[] content = message.content();
      Envelope envelope;
      try {
        envelope =
            EnvelopeSealer.seal(
                header,
                content,
                recipients.recipients(),
                device.identityKey(),
                FipsModule.random());
      } finally {
        java.util.Arrays.fill(content, (byte) 0);
      }
      try {
        return sendSealed(
            token, socket, conversationId, EnvelopeMessage.of(envelope), messageId, conversation);
      } catch (RedoubtApiException e) {
        if (e.status() != 409 || attempt >= SEAL_ATTEMPTS) {
          throw e;
        }
        // The members or their devices changed between our fetch and the send: fetch again.
      }
    }
  }

  /**
   * Sends the sealed envelope over the socket if one is open, else over REST, and sends it again
   * when the server asks for it later within {@link #LONGEST_WAIT} (see {@link #LATER_ATTEMPTS}).
   */
  private Sent sendSealed(
      AccessToken token,
      QueueSocket socket,
      UUID conversationId,
      EnvelopeMessage sealed,
      UUID messageId,
      ConversationResponse conversation)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    for (int attempt = 1; ; attempt++) {
      try {
        Sent overSocket = sendOverSocket(socket, conversationId, sealed, messageId, conversation);
        if (overSocket != null) {
          return overSocket;
        }
        MessageAccepted accepted = post(token, conversationId, sealed);
        return new Sent(messageId, conversation, sealed.recipients().size(), accepted, REST);
      } catch (RedoubtApiException refused) {
        Duration wait = askedToWait(refused);
        if (wait == null || attempt >= LATER_ATTEMPTS) {
          throw refused;
        }
        Thread.sleep(wait.toMillis());
      }
    }
  }

  /** How long the server asked to wait before the same send, if it may be waited out here. */
  private static Duration askedToWait(RedoubtApiException refused) {
    if (refused.status() != 429 && refused.status() != 503) {
      return null;
    }
    return refused.retryAfter().filter(wait -> wait.compareTo(LONGEST_WAIT) <= 0).orElse(null);
  }

  /**
   * Sends {@code envelope} over {@code socket} if it is open: what the server answered, or null
   * when the socket could not carry it to an answer (closed, or silent for {@link
   * #SOCKET_ANSWER_TIMEOUT}), so that the caller posts the same envelope instead. The server may
   * have stored it then; it stores a message id once, so the post is answered as a repeat.
   *
   * @throws RedoubtApiException when the server refused it over the socket (nothing stored)
   */
  private static Sent sendOverSocket(
      QueueSocket socket,
      UUID conversationId,
      EnvelopeMessage envelope,
      UUID messageId,
      ConversationResponse conversation)
      throws RedoubtApiException, InterruptedException {
    if (socket == null || !socket.isOpen()) {
      return null;
    }
    try {
      MessageAccepted accepted =
          socket
              .send(conversationId, envelope)
              .get(SOCKET_ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new Sent(messageId, conversation, envelope.recipients().size(), accepted, SOCKET);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RedoubtApiException refused) {
        throw refused;
      }
      return null;
    } catch (IOException | TimeoutException e) {
      return null;
    }
  }

  /** Posts one envelope, again on a network failure: the same envelope is stored once. */
  private MessageAccepted post(AccessToken token, UUID conversationId, EnvelopeMessage envelope)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    IOException last = null;
    for (int attempt = 1; attempt <= POST_ATTEMPTS; attempt++) {
      try {
        return client.sendMessage(token, device, conversationId, envelope);
      } catch (IOException e) {
        // Timeouts and resets included: the server may have stored it, and says so on a repeat.
        last = e;
      }
      Thread.sleep(250L * attempt);
    }
    throw last;
  }

  /**
   * Reads the device's whole queue, opens and checks every envelope, and returns what it found.
   * Nothing is acknowledged here: the caller acknowledges {@link Inbox#processed()} once it has
   * shown or stored the messages, so a crash in between means a redelivery, not a loss.
   */
  public Inbox receive(AccessToken token)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    List<QueueItem> all = new ArrayList<>();
    long after = 0;
    while (true) {
      QueueResponse page = client.queue(token, device, after, PAGE);
      List<QueueItem> items = page.items() == null ? List.of() : page.items();
      for (QueueItem item : items) {
        after = Math.max(after, item.seq());
      }
      all.addAll(items);
      if (!page.more() || items.isEmpty()) {
        break;
      }
    }
    return open(token, all);
  }

  /**
   * Opens and checks queue items that arrived another way (the socket, {@link QueueSocket}) exactly
   * as {@link #receive} does. Nothing is acknowledged here either.
   */
  public Inbox open(AccessToken token, List<QueueItem> items)
      throws IOException, InterruptedException, GeneralSecurityException {
    SenderCheck senders = new SenderCheck(client, peers, revocations, state);
    List<ReceivedMessage> messages = new ArrayList<>();
    List<Control> controls = new ArrayList<>();
    List<Long> processed = new ArrayList<>();
    int duplicates = 0;
    for (QueueItem item : items) {
      processed.add(item.seq());
      if ("control".equals(item.kind()) && item.control() != null) {
        controls.add(new Control(item.seq(), item.control()));
      } else if (item.envelope() != null) {
        ReceivedMessage message = open(token, senders, item);
        if (message == null) {
          duplicates++;
        } else {
          messages.add(message);
        }
      }
    }
    state = senders.state();
    return new Inbox(messages, controls, processed, duplicates);
  }

  /**
   * Forgets that {@code message} was shown, so that its next delivery is not dropped as a
   * duplicate: for a message the caller could not finish handling (an attachment not saved) and
   * leaves unacknowledged.
   */
  public void redeliverLater(ReceivedMessage message) throws IOException {
    if (message.messageId() != null) {
      seen.forget(message.messageId());
    }
  }

  /** Acknowledges processed queue items; the server deletes them. */
  public void acknowledge(AccessToken token, List<Long> seqs)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    // In batches: the server takes at most 1,000 sequence numbers per acknowledgement.
    for (int from = 0; from < seqs.size(); from += ACK_BATCH) {
      client.acknowledge(
          token, device, seqs.subList(from, Math.min(seqs.size(), from + ACK_BATCH)));
    }
  }

  /** The message in {@code item}, or null for a duplicate of one already shown. */
  private ReceivedMessage open(AccessToken token, SenderCheck senders, QueueItem item)
      throws IOException, InterruptedException, GeneralSecurityException {
    Instant receivedAt = instant(item.receivedAt());
    Envelope envelope;
    try {
      envelope = item.envelope().decode();
    } catch (InvalidEnvelopeException | RuntimeException e) {
      return malformed(item, receivedAt, "malformed envelope: " + e.getMessage());
    }
    EnvelopeHeader header = envelope.header();
    if (seen.contains(header.messageId())) {
      return null;
    }
    String problem = null;
    SenderCheck.Sender sender = null;
    try {
      sender = senders.verify(token, envelope);
    } catch (SenderCheck.UnverifiedSenderException e) {
      problem = e.getMessage();
    }
    byte[] content = null;
    try {
      content = EnvelopeOpener.open(envelope, device.deviceId(), vault::keyPair);
      // The key is spent: destroying a one-time prekey now is what gives forward secrecy.
      vault.used(envelope.entryFor(device.deviceId()).orElseThrow().prekeyId());
    } catch (UnopenableEnvelopeException e) {
      problem = problem == null ? "cannot be opened: " + e.getMessage() : problem;
    }
    boolean verified = problem == null;
    if (verified) {
      seen.add(header.messageId(), header.expiresAt());
    }
    return new ReceivedMessage(
        item.seq(),
        header.messageId(),
        header.conversationId(),
        header.senderUserId(),
        sender == null ? null : sender.username(),
        header.senderDeviceId(),
        header.sentAt(),
        receivedAt,
        header.expiresAt(),
        header.burnOnRead(),
        header.contentType(),
        header.attachments(),
        content,
        verified,
        problem);
  }

  private static ReceivedMessage malformed(QueueItem item, Instant receivedAt, String problem) {
    return new ReceivedMessage(
        item.seq(),
        null,
        null,
        null,
        null,
        null,
        null,
        receivedAt,
        null,
        false,
        null,
        List.of(),
        null,
        false,
        problem);
  }

  private static Instant instant(String iso) {
    try {
      return iso == null ? null : Instant.parse(iso);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@link Sent#transport()}: the envelope went over this device's socket. */
  public static final String SOCKET = "socket";

  /** {@link Sent#transport()}: the envelope went over REST. */
  public static final String REST = "rest";

  /**
   * A message the server accepted.
   *
   * @param devices how many devices it was sealed for
   * @param transport {@link #SOCKET} or {@link #REST}: how the accepted envelope went
   */
  public record Sent(
      UUID messageId,
      ConversationResponse conversation,
      int devices,
      MessageAccepted accepted,
      String transport) {}

  /** A membership change from the queue (written by the server, not signed by a device). */
  public record Control(long seq, ControlMessage message) {}

  /**
   * What one read of the queue found.
   *
   * @param processed every queue item read, to acknowledge once shown
   * @param duplicates verified messages already shown before, dropped
   */
  public record Inbox(
      List<ReceivedMessage> messages,
      List<Control> controls,
      List<Long> processed,
      int duplicates) {}
}
