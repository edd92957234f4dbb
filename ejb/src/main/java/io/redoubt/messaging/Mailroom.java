package io.redoubt.messaging;

import io.redoubt.persistence.Chunks;
import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.EnvelopeHeader;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.validation.constraints.NotNull;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Takes envelopes in, many to a transaction: binds each to the device that proved itself, checks
 * membership, lifetime, size, that the recipients are exactly the conversation's active devices and
 * that every attached blob is the sender's own and still claimable, then stores each envelope once
 * and a queue row per recipient. Only after the transaction commits does a caller answer (201, or
 * {@code accepted} on the socket): the acknowledgement means durable.
 *
 * <p>Group commit is what makes durable sends cheap: a batch costs a fixed handful of statements
 * (multi-row inserts over JDBC, one lookup of every conversation's members and devices) and one
 * commit, where a message on its own cost some thirty statements and a commit. One envelope's
 * refusal is that envelope's outcome; it does not fail the others.
 */
@Stateless
public class Mailroom {

  /** Rows per multi-row statement or {@code IN} list. */
  private static final int INSERT_ROWS = 500;

  @Resource(lookup = "java:jboss/datasources/RedoubtDS")
  DataSource dataSource;

  @EJB DeviceQueues queues;
  @EJB BlobRegistry blobs;
  @Inject MessagingSettings settings;
  @Inject Event<QueueItemsAdded> added;

  private final Clock clock = Clock.systemUTC();

  /**
   * An envelope to take in.
   *
   * @param conversationId the conversation the request names (path or frame)
   * @param body the envelope's canonical wire form to store (ciphertext only); a retry of the same
   *     envelope has the same bytes, whichever way it came
   * @param callerId the authenticated user
   * @param senderDeviceId the device that proved itself
   * @param messageId the header's message id as text
   */
  public record Submission(
      UUID conversationId,
      Envelope envelope,
      byte[] body,
      String callerId,
      String senderDeviceId,
      String messageId) {

    /**
     * Formats the message id here, on the caller's thread, rather than on the group commit's single
     * thread each of the times it looks it up.
     */
    public Submission(
        UUID conversationId,
        Envelope envelope,
        byte[] body,
        String callerId,
        String senderDeviceId) {
      this(
          conversationId,
          envelope,
          body,
          callerId,
          senderDeviceId,
          envelope.header().messageId().toString());
    }
  }

  /** A stored envelope, and whether this call stored it (false: a retry of one already stored). */
  public record Accepted(
      String messageId, Instant receivedAt, Instant expiresAt, int recipients, boolean created) {}

  /**
   * What became of one submission: {@code accepted}, or {@code refusal} naming the rule broken —
   * {@link UnknownConversationException}, {@link EnvelopeRejectedException}, {@link
   * RecipientMismatchException}, {@link MessageIdReusedException} or {@link
   * RecipientQueueFullException}.
   */
  public record Outcome(Accepted accepted, Exception refusal) {

    static Outcome of(Accepted accepted) {
      return new Outcome(accepted, null);
    }

    static Outcome refused(Exception refusal) {
      return new Outcome(null, refusal);
    }
  }

  /**
   * Takes the submissions in, in one transaction, and answers one outcome per submission in their
   * order. Each message id appears at most once in a call (the caller keeps a retry for the next
   * call); rows are queued in the order of the submissions.
   *
   * @throws IllegalArgumentException when a message id appears twice
   * @throws PersistenceException when the database fails; nothing of the call is stored
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRED)
  public List<Outcome> acceptAll(@NotNull List<Submission> submissions) {
    Instant now = clock.instant();
    int n = submissions.size();
    Outcome[] outcomes = new Outcome[n];
    EnvelopeRules rules = new EnvelopeRules(settings);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Submission s = submissions.get(i);
      if (!ids.add(s.messageId())) {
        throw new IllegalArgumentException("message " + s.messageId() + " twice in one batch");
      }
      try {
        rules.checkHeaderAndSize(
            s.conversationId(), s.envelope(), s.callerId(), s.senderDeviceId(), now);
      } catch (EnvelopeRejectedException e) {
        outcomes[i] = Outcome.refused(e);
      }
    }
    try (Connection db = dataSource.getConnection()) {
      answerRetries(db, submissions, outcomes);
      Map<String, Roster> rosters = lockAndReadRosters(db, pending(submissions, outcomes));
      List<List<String>> recipients = checkMembership(submissions, outcomes, rosters);
      refuseFullQueues(submissions, outcomes, recipients, now);
      holdAttachments(submissions, outcomes, now);
      store(db, submissions, outcomes, recipients, now);
    } catch (SQLException e) {
      throw new PersistenceException("storing a batch of envelopes failed", e);
    }
    return List.of(outcomes);
  }

  /** The submissions not yet answered. */
  private static List<Submission> pending(List<Submission> submissions, Outcome[] outcomes) {
    List<Submission> pending = new ArrayList<>();
    for (int i = 0; i < outcomes.length; i++) {
      if (outcomes[i] == null) {
        pending.add(submissions.get(i));
      }
    }
    return pending;
  }

  /**
   * A retry of a stored envelope is answered as stored; another body under its id is refused.
   * Bodies are compared as stored: both are the canonical wire form of what was decoded, so equal
   * envelopes have equal bytes and any difference in a signed field or the signature shows. Only
   * ids that are stored already fetch their body, so a send that is no retry costs no hashing.
   */
  private static void answerRetries(Connection db, List<Submission> submissions, Outcome[] outcomes)
      throws SQLException {
    List<Submission> pending = pending(submissions, outcomes);
    if (pending.isEmpty()) {
      return;
    }
    Map<String, Accepted> stored = new HashMap<>();
    Map<String, String> conversations = new HashMap<>();
    Map<String, byte[]> bodies = new HashMap<>();
    for (List<Submission> chunk : Chunks.of(pending, INSERT_ROWS)) {
      try (PreparedStatement select =
          db.prepareStatement(
              "SELECT message_id, conversation_id, body, received_at, expires_at,"
                  + " recipients FROM envelope WHERE message_id IN ("
                  + Jdbc.marks(chunk.size())
                  + ")")) {
        int p = 1;
        for (Submission s : chunk) {
          select.setString(p++, s.messageId());
        }
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            String id = rows.getString(1);
            conversations.put(id, rows.getString(2));
            bodies.put(id, rows.getBytes(3));
            stored.put(
                id,
                new Accepted(
                    id, Jdbc.instant(rows, 4), Jdbc.instant(rows, 5), rows.getInt(6), false));
          }
        }
      }
    }
    for (int i = 0; i < outcomes.length; i++) {
      Submission s = submissions.get(i);
      Accepted earlier = outcomes[i] == null ? stored.get(s.messageId()) : null;
      if (earlier != null) {
        boolean same =
            conversations.get(s.messageId()).equals(s.conversationId().toString())
                && Arrays.equals(bodies.get(s.messageId()), s.body());
        outcomes[i] =
            same
                ? Outcome.of(earlier)
                : Outcome.refused(new MessageIdReusedException(s.messageId()));
      }
    }
  }

  /** Who is in a conversation, and each member's active devices. */
  private record Roster(Map<String, Set<String>> devicesByMember) {

    Set<String> devicesBut(String senderDeviceId) {
      Set<String> devices = new TreeSet<>();
      devicesByMember.values().forEach(devices::addAll);
      devices.remove(senderDeviceId);
      return devices;
    }
  }

  /**
   * Holds a shared lock on every conversation of the batch, in id order (sends proceed together; a
   * membership change, which locks for update, waits for them and they for it), then reads their
   * members and active devices in one statement.
   */
  private static Map<String, Roster> lockAndReadRosters(Connection db, List<Submission> pending)
      throws SQLException {
    List<String> conversationIds =
        List.copyOf(
            new TreeSet<>(pending.stream().map(s -> s.conversationId().toString()).toList()));
    Map<String, Roster> rosters = new HashMap<>();
    for (List<String> chunk : Chunks.of(conversationIds, INSERT_ROWS)) {
      try (PreparedStatement lock =
          db.prepareStatement(
              "SELECT conversation_id FROM conversation WHERE conversation_id IN ("
                  + Jdbc.marks(chunk.size())
                  + ") ORDER BY conversation_id LOCK IN SHARE MODE")) {
        Jdbc.bind(lock, 1, chunk);
        try (ResultSet rows = lock.executeQuery()) {
          while (rows.next()) {
            rosters.put(rows.getString(1), new Roster(new HashMap<>()));
          }
        }
      }
      try (PreparedStatement members =
          db.prepareStatement(
              "SELECT m.conversation_id, m.user_id, d.device_id FROM conversation_member m"
                  + " LEFT JOIN device d ON d.user_id = m.user_id AND d.status = 'ACTIVE'"
                  + " WHERE m.conversation_id IN ("
                  + Jdbc.marks(chunk.size())
                  + ")")) {
        Jdbc.bind(members, 1, chunk);
        try (ResultSet rows = members.executeQuery()) {
          while (rows.next()) {
            Roster roster = rosters.get(rows.getString(1));
            if (roster == null) {
              continue;
            }
            Set<String> devices =
                roster.devicesByMember().computeIfAbsent(rows.getString(2), u -> new HashSet<>());
            String device = rows.getString(3);
            if (device != null) {
              devices.add(device);
            }
          }
        }
      }
    }
    return rosters;
  }

  /**
   * Refuses senders who are not members (or whose device was revoked since it proved itself) and
   * recipient sets that are not exactly the conversation's devices.
   *
   * @return per submission, the recipient devices of those still pending (else null)
   */
  private static List<List<String>> checkMembership(
      List<Submission> submissions, Outcome[] outcomes, Map<String, Roster> rosters) {
    List<List<String>> recipients = new ArrayList<>(submissions.size());
    for (int i = 0; i < outcomes.length; i++) {
      recipients.add(null);
      if (outcomes[i] != null) {
        continue;
      }
      Submission s = submissions.get(i);
      Roster roster = rosters.get(s.conversationId().toString());
      Set<String> own = roster == null ? null : roster.devicesByMember().get(s.callerId());
      if (own == null) {
        outcomes[i] =
            Outcome.refused(new UnknownConversationException(s.conversationId().toString()));
      } else if (!own.contains(s.senderDeviceId())) {
        outcomes[i] =
            Outcome.refused(
                new EnvelopeRejectedException(
                    EnvelopeRejectedException.Reason.SENDER_NOT_AUTHENTICATED_DEVICE,
                    "The sending device is not active."));
      } else {
        try {
          recipients.set(
              i,
              EnvelopeRules.checkRecipients(roster.devicesBut(s.senderDeviceId()), s.envelope()));
        } catch (RecipientMismatchException e) {
          outcomes[i] = Outcome.refused(e);
        }
      }
    }
    return recipients;
  }

  /**
   * Refuses envelopes for a device whose queue is full of unexpired items. Checked once for the
   * batch, so a queue may pass its limit by at most one batch's rows for it; a queue is counted
   * only when it may be near the limit (see {@link QueueLengthBounds}).
   */
  private void refuseFullQueues(
      List<Submission> submissions,
      Outcome[] outcomes,
      List<List<String>> recipients,
      Instant now) {
    Set<String> devices = new LinkedHashSet<>();
    for (int i = 0; i < outcomes.length; i++) {
      if (outcomes[i] == null) {
        devices.addAll(recipients.get(i));
      }
    }
    Set<String> full = new HashSet<>(queues.full(devices, settings.maxQueueLength(), now));
    if (full.isEmpty()) {
      return;
    }
    for (int i = 0; i < outcomes.length; i++) {
      if (outcomes[i] == null) {
        List<String> theirs = recipients.get(i).stream().filter(full::contains).toList();
        if (!theirs.isEmpty()) {
          outcomes[i] = Outcome.refused(new RecipientQueueFullException(theirs));
        }
      }
    }
  }

  private void holdAttachments(List<Submission> submissions, Outcome[] outcomes, Instant now) {
    for (int i = 0; i < outcomes.length; i++) {
      Submission s = submissions.get(i);
      List<UUID> attachments = s.envelope().header().attachments();
      if (outcomes[i] == null && !attachments.isEmpty()) {
        try {
          blobs.holdForReference(attachments, s.callerId(), now);
        } catch (EnvelopeRejectedException e) {
          outcomes[i] = Outcome.refused(e);
        }
      }
    }
  }

  /** Writes the envelopes still pending, their blob references and queue rows. */
  private void store(
      Connection db,
      List<Submission> submissions,
      Outcome[] outcomes,
      List<List<String>> recipients,
      Instant now)
      throws SQLException {
    List<Integer> accepted = new ArrayList<>();
    for (int i = 0; i < outcomes.length; i++) {
      if (outcomes[i] == null) {
        accepted.add(i);
      }
    }
    if (accepted.isEmpty()) {
      return;
    }
    insertEnvelopes(db, submissions, recipients, accepted, now);
    for (int i : accepted) {
      Submission s = submissions.get(i);
      EnvelopeHeader header = s.envelope().header();
      if (!header.attachments().isEmpty()) {
        blobs.reference(s.messageId(), s.conversationId().toString(), header.attachments(), now);
      }
      outcomes[i] =
          Outcome.of(
              new Accepted(s.messageId(), now, header.expiresAt(), recipients.get(i).size(), true));
    }
    List<QueueItemsAdded.NewItem> items =
        insertQueueRows(db, submissions, recipients, accepted, now);
    if (!items.isEmpty()) {
      added.fire(QueueItemsAdded.routed(items));
    }
  }

  /**
   * Inserts the envelopes as one JDBC batch of a one-row statement, which the MariaDB driver sends
   * as one bulk command with binary parameters ({@code useBulkStmtsForInserts}, on by default): the
   * bodies go as they are instead of being escaped into SQL text by the driver and parsed back by
   * the server (measured against this MariaDB: half its CPU per row), and the driver cuts the batch
   * to the packet size itself. {@code NO_GENERATED_KEYS} is what makes it bulk: the driver never
   * sends a batch in bulk when keys are asked for, and the pool's plain {@code
   * prepareStatement(sql)} asks for them.
   */
  private static void insertEnvelopes(
      Connection db,
      List<Submission> submissions,
      List<List<String>> recipients,
      List<Integer> accepted,
      Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO envelope (message_id, conversation_id, sender_user_id,"
                + " sender_device_id, body, recipients, received_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            Statement.NO_GENERATED_KEYS)) {
      for (int i : accepted) {
        Submission s = submissions.get(i);
        insert.setString(1, s.messageId());
        insert.setString(2, s.conversationId().toString());
        insert.setString(3, s.callerId());
        insert.setString(4, s.senderDeviceId());
        insert.setBytes(5, s.body());
        insert.setInt(6, recipients.get(i).size());
        Jdbc.setInstant(insert, 7, now);
        Jdbc.setInstant(insert, 8, s.envelope().header().expiresAt());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /**
   * Queues a row per recipient, in submission order, and answers the rows with the sequence numbers
   * MariaDB gave them ({@code RETURNING}), so that sockets get them without a read.
   */
  private static List<QueueItemsAdded.NewItem> insertQueueRows(
      Connection db,
      List<Submission> submissions,
      List<List<String>> recipients,
      List<Integer> accepted,
      Instant now)
      throws SQLException {
    record Row(String deviceId, String messageId, Submission submission) {}
    List<Row> rows = new ArrayList<>();
    for (int i : accepted) {
      Submission s = submissions.get(i);
      String messageId = s.messageId(); // once, not once per recipient
      recipients.get(i).forEach(device -> rows.add(new Row(device, messageId, s)));
    }
    Map<String, Submission> byMessage = new HashMap<>();
    accepted.forEach(i -> byMessage.put(submissions.get(i).messageId(), submissions.get(i)));
    List<QueueItemsAdded.NewItem> items = new ArrayList<>(rows.size());
    for (List<Row> chunk : Chunks.of(rows, INSERT_ROWS)) {
      try (PreparedStatement insert =
          db.prepareStatement(
              "INSERT INTO queue_item (device_id, kind, message_id, enqueued_at, expires_at)"
                  + " VALUES "
                  + Jdbc.rows(chunk.size(), 5)
                  + " RETURNING seq, device_id, message_id")) {
        int p = 1;
        for (Row row : chunk) {
          insert.setString(p++, row.deviceId());
          insert.setString(p++, QueueItemKind.ENVELOPE.name());
          insert.setString(p++, row.messageId());
          Jdbc.setInstant(insert, p++, now);
          Jdbc.setInstant(insert, p++, row.submission().envelope().header().expiresAt());
        }
        try (ResultSet returned = insert.executeQuery()) {
          while (returned.next()) {
            Submission s = byMessage.get(returned.getString(3));
            items.add(
                new QueueItemsAdded.NewItem(
                    returned.getString(2), returned.getLong(1), s.messageId(), now, s.body()));
          }
        }
      }
    }
    // MariaDB returns the rows in insertion order; sorted anyway, as sockets rely on the order.
    items.sort(java.util.Comparator.comparingLong(QueueItemsAdded.NewItem::seq));
    return items;
  }
}
