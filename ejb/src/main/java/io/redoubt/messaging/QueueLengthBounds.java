package io.redoubt.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An upper bound of each device's queue length, so that the queue-full check of a batch of sends
 * counts a device's queue only when it may be at the limit, not on every batch.
 *
 * <p>Counting a queue reads its whole range of the {@code (device_id, seq)} index: cheap while it
 * is short, but a device that falls behind makes every batch that writes to it pay for its whole
 * backlog, exactly when the server is busiest. A bound is the exact count of the device's committed
 * rows at some moment plus every row queued for it since (heard of after each commit through {@link
 * QueueItemsAdded}); deletions (acknowledgements, expiry, purges) only make it looser, never wrong.
 * While it is below the limit the queue cannot be full, and the check skips the count; a device
 * {@code n} rows long is then counted once per {@code limit − n} rows queued for it rather than
 * once per batch. Within one batch of the limit the check counts as before.
 *
 * <p>Soundness rests on every queue row being announced by a {@link QueueItemsAdded} after its
 * commit, on this node. Control messages are announced without counts, so their devices' bounds are
 * dropped (counted again next time). In a cluster, rows that another node queues must reach this
 * observer too — the same seam that routing to sockets needs (see {@link QueueItemsAdded}).
 */
@ApplicationScoped
public class QueueLengthBounds {

  /** Devices remembered at most: past it the map starts over (every device is counted again). */
  static final int MAX_DEVICES = 200_000;

  /**
   * A device's bound. Made when a count starts, it collects the rows announced while the count
   * runs: a row whose commit the count missed is announced after it, so it is added here; one the
   * count saw and that is announced late is added twice, which only loosens the bound.
   */
  static final class Bound {
    private long rows;
    private boolean settled;

    synchronized void add(long added) {
      rows += added;
    }

    /** The count's result: from now on the bound is known. */
    synchronized void settle(long counted) {
      rows += counted;
      settled = true;
    }

    /** Whether the queue is certainly shorter than {@code limit}. */
    synchronized boolean below(long limit) {
      return settled && rows < limit;
    }
  }

  private final Map<String, Bound> bounds = new ConcurrentHashMap<>();

  /**
   * The devices among {@code deviceIds} whose queues may hold {@code limit} rows or more: those
   * with no settled bound, or one at the limit. The others cannot be full.
   */
  List<String> mayBeFull(Collection<String> deviceIds, long limit) {
    List<String> uncertain = new ArrayList<>();
    for (String deviceId : deviceIds) {
      Bound bound = bounds.get(deviceId);
      if (bound == null || !bound.below(limit)) {
        uncertain.add(deviceId);
      }
    }
    return uncertain;
  }

  /**
   * Starts counting the devices' queues: call before the count's query, and settle each returned
   * bound with what it found. Rows announced meanwhile are added to the new bounds.
   */
  Map<String, Bound> startCounting(Collection<String> deviceIds) {
    if (bounds.size() + deviceIds.size() > MAX_DEVICES) {
      // Crude but bounded, and sound: a forgotten device is only counted again.
      bounds.clear();
    }
    Map<String, Bound> started = new LinkedHashMap<>();
    for (String deviceId : deviceIds) {
      Bound bound = new Bound();
      bounds.put(deviceId, bound);
      started.put(deviceId, bound);
    }
    return started;
  }

  /** Rows committed for devices: their bounds grow, or go where the rows were not counted. */
  void added(@Observes(during = TransactionPhase.AFTER_SUCCESS) QueueItemsAdded added) {
    if (added.items().isEmpty()) {
      // Control messages: how many rows each device got is not announced.
      added.deviceIds().forEach(bounds::remove);
      return;
    }
    Map<String, Long> perDevice = new HashMap<>();
    for (QueueItemsAdded.NewItem item : added.items()) {
      perDevice.merge(item.deviceId(), 1L, Long::sum);
    }
    perDevice.forEach(
        (deviceId, rows) -> {
          Bound bound = bounds.get(deviceId);
          if (bound != null) {
            bound.add(rows);
          }
        });
  }
}
