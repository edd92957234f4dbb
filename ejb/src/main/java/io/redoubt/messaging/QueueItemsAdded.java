package io.redoubt.messaging;

import java.util.Set;

/**
 * Fired in the transaction that wrote queue rows; observed {@code AFTER_SUCCESS} by whatever
 * delivers to connected devices. This is the routing seam: on one node the web tier's socket
 * registry observes it; across a cluster an observer will publish it to WildFly's messaging
 * (Artemis) so that the node holding a device's socket hears of it.
 *
 * @param deviceIds the devices with new items
 */
public record QueueItemsAdded(Set<String> deviceIds) {

  public QueueItemsAdded {
    deviceIds = Set.copyOf(deviceIds);
  }
}
