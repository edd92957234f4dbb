package io.redoubt.messaging;

import io.redoubt.persistence.Chunks;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.Query;
import jakarta.validation.constraints.NotNull;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The per-device queues: rows written in bulk (envelope rows by the {@link Mailroom}, control
 * messages here), read in order, deleted on acknowledgement — and the envelope with the last row
 * that refers to it.
 */
@Stateless
public class DeviceQueues {

  /** Rows per multi-row INSERT: large enough to amortise round trips, small enough for packets. */
  private static final int INSERT_CHUNK = 500;

  /** The most rows one page may hold. */
  public static final int MAX_PAGE = 500;

  @PersistenceContext(unitName = "redoubt")
  EntityManager em;

  @Inject Event<QueueItemsAdded> added;

  @Inject QueueLengthBounds bounds;

  @Resource(lookup = "java:jboss/datasources/RedoubtDS")
  DataSource dataSource;

  /** Queues one control message (its JSON) for each device, in the caller's transaction. */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public void enqueueControl(
      @NotNull byte[] controlJson,
      @NotNull Collection<String> deviceIds,
      @NotNull Instant now,
      @NotNull Instant expiresAt) {
    if (deviceIds.isEmpty()) {
      return;
    }
    for (List<String> chunk : chunks(List.copyOf(deviceIds))) {
      Query insert =
          em.createNativeQuery(
              "INSERT INTO queue_item (device_id, kind, control_body, enqueued_at, expires_at)"
                  + " VALUES "
                  + Jdbc.rows(chunk.size(), 5));
      int p = 1;
      for (String deviceId : chunk) {
        insert.setParameter(p++, deviceId);
        insert.setParameter(p++, QueueItemKind.CONTROL.name());
        insert.setParameter(p++, controlJson);
        insert.setParameter(p++, now);
        insert.setParameter(p++, expiresAt);
      }
      insert.executeUpdate();
    }
    added.fire(QueueItemsAdded.readQueues(new HashSet<>(deviceIds)));
  }

  /**
   * The devices among {@code deviceIds} whose queues are full after their expired rows are gone.
   * Expired rows are deleted first, so a full queue only ever refuses for unexpired backlog.
   *
   * <p>Only the queues that {@link QueueLengthBounds} cannot rule out are counted, so the check
   * costs a batch nothing for a device far below the limit, however long its queue.
   */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public List<String> full(@NotNull Collection<String> deviceIds, int limit, Instant now) {
    List<String> uncertain = bounds.mayBeFull(deviceIds, limit);
    if (uncertain.isEmpty()) {
      return List.of();
    }
    Map<String, QueueLengthBounds.Bound> counting = bounds.startCounting(uncertain);
    Map<String, Long> lengths = lengths(uncertain);
    List<String> atLimit = new ArrayList<>();
    counting.forEach(
        (deviceId, bound) -> {
          long length = lengths.getOrDefault(deviceId, 0L);
          // The count before the expired rows' deletion: that deletion is undone if the batch
          // rolls back, and a bound must hold whatever becomes of this transaction.
          bound.settle(length);
          if (length >= limit) {
            atLimit.add(deviceId);
          }
        });
    if (atLimit.isEmpty()) {
      return atLimit;
    }
    em.createQuery("DELETE FROM QueuedItem q WHERE q.deviceId IN :ids AND q.expiresAt <= :now")
        .setParameter("ids", atLimit)
        .setParameter("now", now)
        .executeUpdate();
    Map<String, Long> unexpired = lengths(atLimit);
    return atLimit.stream().filter(d -> unexpired.getOrDefault(d, 0L) >= limit).toList();
  }

  /**
   * How many rows each device's queue holds (devices with none are absent). Over JDBC: through JPA
   * the IN list of a different length each time is a new SQL rendering each time.
   */
  private Map<String, Long> lengths(Collection<String> deviceIds) {
    Map<String, Long> result = new HashMap<>();
    try (Connection db = dataSource.getConnection()) {
      for (List<String> chunk : chunks(List.copyOf(deviceIds))) {
        try (PreparedStatement count =
            db.prepareStatement(
                "SELECT device_id, COUNT(*) FROM queue_item WHERE device_id IN ("
                    + Jdbc.marks(chunk.size())
                    + ") GROUP BY device_id")) {
          Jdbc.bind(count, 1, chunk);
          try (ResultSet rows = count.executeQuery()) {
            while (rows.next()) {
              result.put(rows.getString(1), rows.getLong(2));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new PersistenceException("counting queue rows failed", e);
    }
    return result;
  }

  /**
   * A page of the device's unexpired items after {@code after}, oldest first, each with its
   * payload: the envelope's wire form, or the control message.
   *
   * <p>Every socket reads its queue when it opens, so this is on the path of each session set-up,
   * where a queue is most often empty. It is therefore one indexed statement over JDBC, joined to
   * the envelopes, outside any transaction: a single statement reads one consistent snapshot, and
   * reading needs neither a JTA transaction nor a persistence context (which cost about a fifth of
   * the server's CPU per resumed set-up through JPA).
   */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public QueuePage page(@NotNull String deviceId, long after, int limit, @NotNull Instant now) {
    int size = Math.max(1, Math.min(limit, MAX_PAGE));
    List<QueuePage.Item> items = new ArrayList<>(Math.min(size + 1, 16));
    try (Connection db = dataSource.getConnection();
        PreparedStatement read =
            db.prepareStatement(
                "SELECT q.seq, q.kind, q.enqueued_at, q.control_body, e.received_at, e.body"
                    + " FROM queue_item q LEFT JOIN envelope e ON e.message_id = q.message_id"
                    + " WHERE q.device_id = ? AND q.seq > ? AND q.expires_at > ?"
                    + " ORDER BY q.seq LIMIT ?")) {
      read.setString(1, deviceId);
      read.setLong(2, after);
      Jdbc.setInstant(read, 3, now);
      read.setInt(4, size + 1);
      try (ResultSet rows = read.executeQuery()) {
        while (rows.next()) {
          long seq = rows.getLong(1);
          QueueItemKind kind = QueueItemKind.valueOf(rows.getString(2));
          if (kind == QueueItemKind.CONTROL) {
            items.add(new QueuePage.Item(seq, kind, Jdbc.instant(rows, 3), rows.getBytes(4)));
          } else {
            // An envelope deleted since its row was queued (it expired) is absent from the join.
            byte[] body = rows.getBytes(6);
            items.add(
                new QueuePage.Item(seq, kind, body == null ? null : Jdbc.instant(rows, 5), body));
          }
        }
      }
    } catch (SQLException e) {
      throw new PersistenceException("reading the queue of device " + deviceId + " failed", e);
    }
    boolean more = items.size() > size;
    return new QueuePage(more ? List.copyOf(items.subList(0, size)) : List.copyOf(items), more);
  }

  /**
   * The acknowledgements of many devices at once, in one transaction: three statements however many
   * there are. Each device deletes only its own rows; envelopes left without a row go too.
   *
   * @param seqsByDevice sequence numbers acknowledged, by device
   * @return how many rows were deleted
   */
  public int acknowledgeAll(@NotNull Map<String, ? extends Collection<Long>> seqsByDevice) {
    Map<Long, Set<String>> claimed = new TreeMap<>();
    seqsByDevice.forEach(
        (device, seqs) ->
            seqs.forEach(seq -> claimed.computeIfAbsent(seq, s -> new HashSet<>()).add(device)));
    if (claimed.isEmpty()) {
      return 0;
    }
    List<Long> owned = new ArrayList<>();
    Set<String> messageIds = new HashSet<>();
    try (Connection db = dataSource.getConnection()) {
      for (List<Long> chunk : chunks(List.copyOf(claimed.keySet()))) {
        try (PreparedStatement select =
            db.prepareStatement(
                "SELECT seq, device_id, message_id FROM queue_item WHERE seq IN ("
                    + Jdbc.marks(chunk.size())
                    + ")")) {
          Jdbc.bindLongs(select, chunk);
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              if (claimed.get(rows.getLong(1)).contains(rows.getString(2))) {
                owned.add(rows.getLong(1));
                if (rows.getString(3) != null) {
                  messageIds.add(rows.getString(3));
                }
              }
            }
          }
        }
      }
      int deleted = 0;
      for (List<Long> chunk : chunks(owned)) {
        try (PreparedStatement delete =
            db.prepareStatement(
                "DELETE FROM queue_item WHERE seq IN (" + Jdbc.marks(chunk.size()) + ")")) {
          Jdbc.bindLongs(delete, chunk);
          deleted += delete.executeUpdate();
        }
      }
      deleteOrphans(messageIds);
      return deleted;
    } catch (SQLException e) {
      throw new PersistenceException("deleting acknowledged queue rows failed", e);
    }
  }

  /** Empties a device's queue (revocation, offboarding), with the envelopes left orphaned. */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public int purge(@NotNull String deviceId) {
    Set<String> messageIds =
        new HashSet<>(
            em.createQuery(
                    "SELECT DISTINCT q.messageId FROM QueuedItem q WHERE q.deviceId = :deviceId"
                        + " AND q.messageId IS NOT NULL",
                    String.class)
                .setParameter("deviceId", deviceId)
                .getResultList());
    int deleted =
        em.createQuery("DELETE FROM QueuedItem q WHERE q.deviceId = :deviceId")
            .setParameter("deviceId", deviceId)
            .executeUpdate();
    deleteOrphans(messageIds);
    return deleted;
  }

  /**
   * Deletes every expired row and envelope, delivered or not.
   *
   * @return rows and envelopes deleted
   */
  public int deleteExpired(@NotNull Instant now) {
    int rows =
        em.createQuery("DELETE FROM QueuedItem q WHERE q.expiresAt <= :now")
            .setParameter("now", now)
            .executeUpdate();
    int envelopes =
        em.createQuery("DELETE FROM StoredEnvelope e WHERE e.expiresAt <= :now")
            .setParameter("now", now)
            .executeUpdate();
    return rows + envelopes;
  }

  /** Over JDBC: it runs for every batch of acknowledgements. */
  private void deleteOrphans(Set<String> messageIds) {
    if (messageIds.isEmpty()) {
      return;
    }
    try (Connection db = dataSource.getConnection()) {
      for (List<String> chunk : chunks(List.copyOf(messageIds))) {
        try (PreparedStatement delete =
            db.prepareStatement(
                "DELETE FROM envelope WHERE message_id IN ("
                    + Jdbc.marks(chunk.size())
                    + ") AND NOT EXISTS (SELECT 1 FROM queue_item q"
                    + " WHERE q.message_id = envelope.message_id)")) {
          Jdbc.bind(delete, 1, chunk);
          delete.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw new PersistenceException("deleting envelopes without queue rows failed", e);
    }
  }

  private static <T> List<List<T>> chunks(List<T> all) {
    return Chunks.of(all, INSERT_CHUNK);
  }

  /**
   * A page of one device's queue.
   *
   * @param items the rows, in order
   * @param more whether items follow the page
   */
  public record QueuePage(List<Item> items, boolean more) {

    /**
     * One row with what it carries.
     *
     * @param at when the envelope was received, or the control message queued
     * @param payload the envelope's wire form (JSON) or the control message's JSON; {@code null}
     *     for an envelope that is already gone, which the device is not shown
     */
    public record Item(long seq, QueueItemKind kind, Instant at, byte[] payload) {

      /** Whether there is something to show: a control message, or an envelope still stored. */
      public boolean present() {
        return payload != null;
      }
    }
  }
}
