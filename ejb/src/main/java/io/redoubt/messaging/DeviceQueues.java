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
import java.util.function.Function;
import java.util.stream.Collectors;
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

  /** A page of the device's unexpired items after {@code after}, oldest first. */
  public QueuePage page(@NotNull String deviceId, long after, int limit, @NotNull Instant now) {
    int size = Math.max(1, Math.min(limit, MAX_PAGE));
    List<QueuedItem> rows =
        em.createNamedQuery(QueuedItem.PAGE, QueuedItem.class)
            .setParameter("deviceId", deviceId)
            .setParameter("after", after)
            .setParameter("now", now)
            .setMaxResults(size + 1)
            .getResultList();
    boolean more = rows.size() > size;
    List<QueuedItem> items = more ? rows.subList(0, size) : rows;
    Set<String> messageIds =
        items.stream()
            .map(QueuedItem::messageId)
            .filter(java.util.Objects::nonNull)
            .collect(Collectors.toSet());
    Map<String, StoredEnvelope> envelopes =
        messageIds.isEmpty()
            ? Map.of()
            : em.createQuery(
                    "SELECT e FROM StoredEnvelope e WHERE e.messageId IN :ids",
                    StoredEnvelope.class)
                .setParameter("ids", messageIds)
                .getResultStream()
                .collect(Collectors.toMap(StoredEnvelope::messageId, Function.identity()));
    return new QueuePage(List.copyOf(items), envelopes, more);
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
   * @param envelopes the envelopes the page's envelope rows refer to, by message id
   * @param more whether items follow the page
   */
  public record QueuePage(
      List<QueuedItem> items, Map<String, StoredEnvelope> envelopes, boolean more) {}
}
