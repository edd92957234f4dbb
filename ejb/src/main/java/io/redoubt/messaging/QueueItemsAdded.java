package io.redoubt.messaging;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Fired in the transaction that wrote queue rows; observed {@code AFTER_SUCCESS} by whatever
 * delivers to connected devices. This is the routing seam: on one node the web tier's socket
 * registry observes it; across a cluster an observer will publish it to WildFly's messaging
 * (Artemis) so that the node holding a device's socket hears of it.
 *
 * <p>When {@code items} is not empty it holds every row written for {@code deviceIds}, with what a
 * socket needs to push them, so that a connected device gets a new envelope without a read of its
 * queue. When it is empty (control messages), the devices' queues are to be read.
 *
 * @param deviceIds the devices with new items
 * @param items the new envelope rows, in queue order; empty when the queue must be read
 */
public record QueueItemsAdded(Set<String> deviceIds, List<NewItem> items) {

  public QueueItemsAdded {
    deviceIds = Set.copyOf(deviceIds);
    items = List.copyOf(items);
  }

  /** New rows that the devices' sockets learn of by reading their queues. */
  public static QueueItemsAdded readQueues(Set<String> deviceIds) {
    return new QueueItemsAdded(deviceIds, List.of());
  }

  /** New envelope rows, routed with their envelopes. */
  public static QueueItemsAdded routed(List<NewItem> items) {
    Set<String> devices = new LinkedHashSet<>();
    items.forEach(item -> devices.add(item.deviceId()));
    return new QueueItemsAdded(devices, items);
  }

  /**
   * One new queue row carrying an envelope.
   *
   * @param body the envelope's stored wire form (shared, never modified)
   */
  public record NewItem(
      String deviceId, long seq, String messageId, Instant receivedAt, byte[] body) {}
}
