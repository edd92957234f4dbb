package io.redoubt.web.messaging;

import io.redoubt.devices.Device;
import io.redoubt.devices.DeviceRegistry;
import io.redoubt.messaging.DeviceQueues;
import io.redoubt.messaging.Mailroom;
import io.redoubt.protocol.api.QueueItem;
import io.redoubt.protocol.api.SocketFrame;
import io.redoubt.protocol.api.SocketFrame.SocketProblem;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /ws}: one device's live connection. The first frame must be {@code hello} with a ticket
 * (see {@link SocketTickets}); then the device's backlog is pushed in queue order, and every new
 * item as soon as the transaction that stored it commits. The device acknowledges with {@code ack}
 * frames and may send envelopes with {@code send} frames, checked exactly as over REST.
 *
 * <p>At most {@link #WINDOW} items are in flight (pushed, not yet acknowledged); more follow as
 * acknowledgements arrive, so a long backlog never floods the connection or the heap. Delivery is
 * at least once: items pushed but not acknowledged come again on the next connection.
 */
@ServerEndpoint("/ws")
public class DeliverySocket {

  private static final Logger LOG = Logger.getLogger(DeliverySocket.class.getName());
  private static final Jsonb JSON = JsonbBuilder.create();

  /** Pushed and not yet acknowledged items, at most. */
  static final int WINDOW = 500;

  /** Before {@code hello}: a connection that does not authenticate goes quickly. */
  private static final long HELLO_TIMEOUT_MS = 30_000;

  /** After {@code hello}: clients ping more often than this to keep the socket. */
  private static final long IDLE_TIMEOUT_MS = 300_000;

  /** Frames from the device: envelopes for large groups approach the 1 MiB body limit. */
  private static final int MAX_FRAME_CHARS = 2 * 1024 * 1024;

  @Inject SocketTickets tickets;
  @Inject ConnectedDevices connected;
  @Inject Envelopes envelopes;
  @Inject RateLimits limits;
  @EJB DeviceQueues queues;
  @EJB DeviceRegistry devices;

  private final Clock clock = Clock.systemUTC();
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  private Session session;
  private volatile SocketTickets.Ticket grant;
  private volatile Device device;

  @OnOpen
  public void open(Session opened) {
    this.session = opened;
    opened.setMaxIdleTimeout(HELLO_TIMEOUT_MS);
    opened.setMaxTextMessageBufferSize(MAX_FRAME_CHARS);
  }

  @OnMessage
  public void message(String text) {
    SocketFrame frame;
    try {
      frame = JSON.fromJson(text, SocketFrame.class);
    } catch (JsonbException e) {
      reply(error(null, 400, "malformed-frame", "The frame is not a JSON socket frame."));
      return;
    }
    if (frame == null || frame.type() == null) {
      reply(error(null, 400, "malformed-frame", "The frame has no type."));
      return;
    }
    if (grant == null) {
      hello(frame);
      return;
    }
    if (tokenExpired()) {
      return;
    }
    switch (frame.type()) {
      case "ack" -> acknowledge(frame);
      case "send" -> send(frame);
      default ->
          reply(
              error(
                  frame.requestId(),
                  400,
                  "malformed-frame",
                  "Unknown frame type; a device sends ack and send frames."));
    }
  }

  private void hello(SocketFrame frame) {
    Optional<SocketTickets.Ticket> redeemed =
        "hello".equals(frame.type()) ? tickets.redeem(frame.ticket()) : Optional.empty();
    Optional<Device> active =
        redeemed.flatMap(t -> devices.find(UUID.fromString(t.deviceId()))).filter(Device::isActive);
    if (active.isEmpty()) {
      close(
          new CloseReason(
              CloseReason.CloseCodes.VIOLATED_POLICY,
              "the first frame must be hello with a fresh socket ticket"));
      return;
    }
    device = active.get();
    grant = redeemed.get();
    session.setMaxIdleTimeout(IDLE_TIMEOUT_MS);
    connected.register(this);
    reply(frame("ready"));
    deliver();
  }

  /**
   * Synchronized with {@link #deliver}: otherwise a delivery reading the queue just before this
   * acknowledgement deletes a row would find the row no longer in flight and push it a second time
   * (the relay benchmark saw up to 446 such pushes in a run).
   */
  private synchronized void acknowledge(SocketFrame frame) {
    List<Long> seqs = frame.seqs();
    if (seqs == null || seqs.isEmpty() || seqs.size() > QueueResource.MAX_ACKNOWLEDGEMENTS) {
      reply(
          error(
              frame.requestId(),
              400,
              "malformed-frame",
              "An ack frame carries 1 to " + QueueResource.MAX_ACKNOWLEDGEMENTS + " seqs."));
      return;
    }
    List<Long> known = seqs.stream().filter(java.util.Objects::nonNull).toList();
    DeadlockRetry.run(() -> queues.acknowledge(grant.deviceId(), known));
    inFlight.removeAll(known);
    deliver();
  }

  private void send(SocketFrame frame) {
    try {
      if (frame.envelope() == null || frame.conversationId() == null) {
        reply(
            error(
                frame.requestId(),
                400,
                "malformed-frame",
                "A send frame carries conversationId and envelope."));
        return;
      }
      limits.take(RateLimits.Action.SEND, grant.deviceId(), 1);
      Mailroom.Accepted accepted =
          envelopes.accept(
              ConversationResource.id(frame.conversationId()),
              frame.envelope(),
              grant.userId(),
              device);
      reply(
          new SocketFrame(
              "accepted",
              null,
              frame.requestId(),
              null,
              null,
              null,
              null,
              Envelopes.view(accepted),
              null));
    } catch (Exception e) {
      if (SocketProblems.of(e).status() >= 500) {
        LOG.log(Level.WARNING, "a socket send failed", e);
      }
      reply(
          new SocketFrame(
              "error",
              null,
              frame.requestId(),
              null,
              null,
              null,
              null,
              null,
              SocketProblems.of(e)));
    }
  }

  /** Pushes queued items not yet in flight, oldest first, up to the window. */
  synchronized void deliver() {
    if (grant == null || !session.isOpen() || tokenExpired()) {
      return;
    }
    if (inFlight.size() >= WINDOW) {
      forgetGoneItems();
    }
    long after = 0;
    boolean more = true;
    Set<Long> stillQueued = new java.util.HashSet<>();
    while (more && inFlight.size() < WINDOW) {
      DeviceQueues.QueuePage page = queues.page(grant.deviceId(), after, WINDOW, clock.instant());
      for (QueueItem item : envelopes.items(page)) {
        stillQueued.add(item.seq());
        if (inFlight.size() >= WINDOW) {
          return;
        }
        if (inFlight.add(item.seq())) {
          reply(new SocketFrame("item", null, null, item, null, null, null, null, null));
        }
      }
      more = page.more();
      if (!page.items().isEmpty()) {
        after = page.items().get(page.items().size() - 1).seq();
      }
    }
    if (!more) {
      // The whole queue was read: items pushed but since expired or purged are no longer in
      // flight, or they would fill the window and stop delivery on a long-lived socket.
      inFlight.retainAll(stillQueued);
    }
  }

  /**
   * Drops from the window the items pushed but since expired or purged (never to be acknowledged),
   * reading the queue only up to the newest item in flight.
   */
  private void forgetGoneItems() {
    long newest = inFlight.stream().mapToLong(Long::longValue).max().orElse(0);
    Set<Long> present = new java.util.HashSet<>();
    long after = 0;
    boolean more = true;
    while (more && after < newest) {
      DeviceQueues.QueuePage page = queues.page(grant.deviceId(), after, WINDOW, clock.instant());
      page.items().forEach(row -> present.add(row.seq()));
      more = page.more();
      if (page.items().isEmpty()) {
        break;
      }
      after = page.items().get(page.items().size() - 1).seq();
    }
    inFlight.retainAll(present);
  }

  private boolean tokenExpired() {
    if (grant != null && clock.instant().isAfter(grant.tokenExpiresAt())) {
      close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "access token expired"));
      return true;
    }
    return false;
  }

  @OnClose
  public void closed(Session closing, CloseReason reason) {
    if (grant != null) {
      connected.unregister(this);
    }
  }

  @OnError
  public void failed(Session failing, Throwable error) {
    LOG.log(Level.FINE, "socket error", error);
    if (grant != null) {
      connected.unregister(this);
    }
  }

  String deviceId() {
    return grant.deviceId();
  }

  String userId() {
    return grant.userId();
  }

  void close(CloseReason reason) {
    try {
      if (session != null && session.isOpen()) {
        session.close(reason);
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing a socket failed", e);
    }
  }

  private synchronized void reply(SocketFrame frame) {
    try {
      if (session.isOpen()) {
        session.getBasicRemote().sendText(JSON.toJson(frame));
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "a socket write failed; the item stays queued", e);
    }
  }

  private static SocketFrame frame(String type) {
    return new SocketFrame(type, null, null, null, null, null, null, null, null);
  }

  private static SocketFrame error(String requestId, int status, String slug, String detail) {
    return new SocketFrame(
        "error",
        null,
        requestId,
        null,
        null,
        null,
        null,
        null,
        new SocketProblem(
            "urn:redoubt:problem:" + slug,
            status == 400 ? "Bad Request" : "HTTP " + status,
            status,
            detail));
  }
}
