package io.redoubt.web.messaging;

import io.redoubt.devices.Device;
import io.redoubt.devices.DeviceRegistry;
import io.redoubt.devices.DeviceRevoked;
import io.redoubt.directory.UserOffboarded;
import io.redoubt.messaging.DeviceQueues;
import io.redoubt.messaging.QueueItemsAdded;
import io.redoubt.messaging.QueueSwept;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sockets this node holds, by device: where new queue items are announced (after the
 * transaction that wrote them commits) and where revocation and offboarding close connections. This
 * is the single-node end of the routing seam {@link QueueItemsAdded}.
 */
@ApplicationScoped
public class ConnectedDevices {

  /** WebSocket close codes (RFC 6455, section 7.4.1). */
  static final int UNSUPPORTED_DATA = 1003;

  static final int VIOLATED_POLICY = 1008;

  static final int TRY_AGAIN_LATER = 1013;

  @Inject
  @ConfigProperty(name = "redoubt.messaging.max-sockets-per-device", defaultValue = "4")
  int maxSocketsPerDevice;

  @Resource ManagedExecutorService executor;

  @Inject SocketTickets tickets;

  // Here rather than in each socket: an EJB reference injected into a socket is a proxy, an
  // invocation handler and their maps per socket, about 0.2 KB each for as long as it is open.
  @EJB DeviceQueues queues;
  @EJB DeviceRegistry devices;

  private final Map<String, List<DeliverySocket>> byDevice = new ConcurrentHashMap<>();

  /**
   * Registers an authenticated socket. A device over its limit loses its oldest socket (most likely
   * one a network change left behind), never the new one.
   */
  void register(DeliverySocket socket) {
    List<DeliverySocket> sockets =
        byDevice.computeIfAbsent(socket.deviceId(), d -> new CopyOnWriteArrayList<>());
    sockets.add(socket);
    while (sockets.size() > Math.max(1, maxSocketsPerDevice)) {
      DeliverySocket oldest = sockets.remove(0);
      oldest.close(TRY_AGAIN_LATER, "too many sockets for this device; the oldest was closed");
    }
  }

  void unregister(DeliverySocket socket) {
    byDevice.computeIfPresent(
        socket.deviceId(),
        (device, sockets) -> {
          sockets.remove(socket);
          return sockets.isEmpty() ? null : sockets;
        });
  }

  /**
   * New queue rows, after their transaction committed. Routed envelopes go to the device's sockets
   * with the rows themselves; otherwise the sockets read their queues. Runs on the committing
   * thread (the group commit's, for envelopes), so a socket only takes the work over here.
   */
  void announce(@Observes(during = TransactionPhase.AFTER_SUCCESS) QueueItemsAdded added) {
    if (added.items().isEmpty()) {
      for (String deviceId : added.deviceIds()) {
        byDevice.getOrDefault(deviceId, List.of()).forEach(DeliverySocket::queueChanged);
      }
      return;
    }
    Map<String, List<QueueItemsAdded.NewItem>> itemsByDevice = new HashMap<>();
    for (QueueItemsAdded.NewItem item : added.items()) {
      if (byDevice.containsKey(item.deviceId())) {
        itemsByDevice.computeIfAbsent(item.deviceId(), d -> new ArrayList<>()).add(item);
      }
    }
    itemsByDevice.forEach(
        (deviceId, items) ->
            byDevice.getOrDefault(deviceId, List.of()).forEach(socket -> socket.route(items)));
  }

  /**
   * A device's acknowledgement committed (called by the group commit, on its thread): its sockets
   * here let the items go from their windows.
   */
  void acknowledged(String deviceId, List<Long> seqs) {
    byDevice.getOrDefault(deviceId, List.of()).forEach(socket -> socket.acknowledged(seqs));
  }

  /** After each expiry sweep: sockets whose windows are full check for items gone. */
  void swept(@Observes QueueSwept swept) {
    byDevice.values().stream().flatMap(List::stream).forEach(DeliverySocket::itemsMayHaveLeft);
  }

  /** The device, if it is still active: for a socket's {@code hello} and its first send. */
  Optional<Device> activeDevice(String deviceId) {
    return devices.find(UUID.fromString(deviceId)).filter(Device::isActive);
  }

  /** A page of the device's queue, for a socket's delivery window. */
  DeviceQueues.QueuePage page(String deviceId, long after, int limit, Instant now) {
    return queues.page(deviceId, after, limit, now);
  }

  /** Where sockets run their work. */
  Executor executor() {
    return executor;
  }

  void closeRevoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) DeviceRevoked revoked) {
    // First the mark, then the sockets: a resumed socket that checks the mark before it is set has
    // registered already, and is closed here (see SocketTickets.revokedOnThisNode).
    tickets.deviceRevoked(revoked.deviceId());
    for (DeliverySocket socket : byDevice.getOrDefault(revoked.deviceId(), List.of())) {
      socket.close(VIOLATED_POLICY, "device revoked");
    }
  }

  void closeOffboarded(
      @Observes(during = TransactionPhase.AFTER_SUCCESS) UserOffboarded offboarded) {
    byDevice.values().stream()
        .flatMap(List::stream)
        .filter(socket -> socket.userId().equals(offboarded.userId()))
        .forEach(socket -> socket.close(VIOLATED_POLICY, "account disabled"));
  }

  /**
   * Closes the device's sockets opened from the chain of tickets that a reuse ended: one of them
   * holds the authority that was copied, and the server cannot tell whether it is the device's.
   */
  void closeChain(String deviceId, long chain) {
    for (DeliverySocket socket : byDevice.getOrDefault(deviceId, List.of())) {
      if (socket.chain() == chain) {
        socket.close(VIOLATED_POLICY, DeliverySocket.REUSED);
      }
    }
  }

  /** Sockets held for the device on this node. */
  int count(String deviceId) {
    return byDevice.getOrDefault(deviceId, List.of()).size();
  }
}
