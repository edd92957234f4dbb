package io.redoubt.web.messaging;

import io.redoubt.devices.Device;
import io.redoubt.directory.DirectoryStatuses;
import io.redoubt.messaging.DeviceQueues;
import io.redoubt.messaging.Mailroom;
import io.redoubt.messaging.QueueItemsAdded;
import io.redoubt.protocol.api.SocketFrame;
import io.redoubt.protocol.api.SocketFrame.SocketProblem;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /ws}: one device's live connection. The first frame must be {@code hello} with a ticket
 * (see {@link SocketTickets}); then the device's backlog is pushed in queue order, and every new
 * item as soon as the transaction that stored it commits. The device acknowledges with {@code ack}
 * frames and may send envelopes with {@code send} frames, checked exactly as over REST.
 *
 * <p>At most {@link DeliveryWindow#WINDOW} items are in flight (pushed, not yet acknowledged); more
 * follow as acknowledgements arrive, so a long backlog never floods the connection or the heap (see
 * {@link DeliveryWindow}, which decides what to push). Delivery is at least once: items pushed but
 * not acknowledged come again on the next connection.
 */
@ServerEndpoint(value = "/ws", configurator = SocketUpgrade.class)
public class DeliverySocket {

  private static final Logger LOG = Logger.getLogger(DeliverySocket.class.getName());
  private static final Jsonb JSON = JsonbBuilder.create();

  /** Before {@code hello}: a connection that does not authenticate goes quickly. */
  private static final long HELLO_TIMEOUT_MS = 30_000;

  /** After {@code hello}: clients ping more often than this to keep the socket. */
  private static final long IDLE_TIMEOUT_MS = 300_000;

  /** Why a socket whose chain was ended by the reuse of a ticket closes (1008). */
  static final String REUSED = "a socket ticket of this chain was used twice; authenticate again";

  /** Why a socket of a revoked device, or of a user no longer allowed in, closes (1008). */
  private static final String MAY_NOT_CONNECT = "the device or its user may no longer connect";

  /** Frames from the device: envelopes for large groups approach the 1 MiB body limit. */
  private static final int MAX_FRAME_CHARS = 2 * 1024 * 1024;

  @Inject SocketTickets tickets;
  @Inject ConnectedDevices connected;
  @Inject Envelopes envelopes;
  @Inject CommitQueue commits;
  @Inject RateLimits limits;
  @Inject DirectoryStatuses statuses;

  private final Clock clock = Clock.systemUTC();
  private Session session;
  private volatile SocketTickets.Ticket grant;

  /** Set once {@code hello} has succeeded: the device was active and its user allowed in. */
  private volatile boolean authenticated;

  /**
   * The sending device, read on the first {@code send}: most sockets only receive, and an idle
   * socket need not hold the device's entity and certificate (about 1 KB). Only on the thread that
   * delivers this socket's frames.
   */
  private Device sender;

  /** Runs this socket's work; the window is touched only by its tasks. */
  private SerialExecutor worker;

  /** What is pushed and what comes next; only on the worker. */
  private final DeliveryWindow window = new DeliveryWindow(this::page, this::write);

  @OnOpen
  public void open(Session opened, EndpointConfig config) {
    this.session = opened;
    SocketUpgrade.release(config);
    // Frames are batched and flushed once the worker has nothing more to do: a burst of items
    // (a group commit's rows for this device, a page of backlog) then leaves in a few TLS records
    // instead of one record, one cipher initialisation and one write per frame.
    this.worker = new SerialExecutor(connected.executor(), this::flush);
    try {
      opened.getBasicRemote().setBatchingAllowed(true);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "frame batching refused; frames go out one by one", e);
    }
    opened.setMaxIdleTimeout(HELLO_TIMEOUT_MS);
    opened.setMaxTextMessageBufferSize(MAX_FRAME_CHARS);
  }

  @OnMessage
  public void message(String text) {
    SocketFrame frame;
    try {
      frame = SocketFrameReader.read(text);
    } catch (JsonException e) {
      reply(error(null, 400, "malformed-frame", "The frame is not a JSON socket frame."));
      return;
    }
    if (frame == null || frame.type() == null) {
      reply(error(null, 400, "malformed-frame", "The frame has no type."));
      return;
    }
    if (!authenticated) {
      if (grant == null) {
        hello(frame);
      }
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

  /**
   * Redeems the ticket (from REST or the previous socket's {@code ready}) and answers {@code ready}
   * with a resumption ticket for the next socket. The socket registers before the device and its
   * user are checked: a revocation or offboarding that commits after the check finds the socket
   * registered and closes it; one that committed before it fails the check. Checking first would
   * leave a gap in which neither happens. The same holds for a chain ended by the reuse of one of
   * its tickets (see {@link SocketTickets}). The device is read from the database for a REST
   * ticket; for a resumption ticket, the first socket of its chain did that, and the check is
   * whether this node has heard of a revocation since ({@link SocketTickets#revokedOnThisNode}).
   */
  private void hello(SocketFrame frame) {
    SocketTickets.Redemption redemption =
        "hello".equals(frame.type())
            ? tickets.redeem(frame.ticket())
            : SocketTickets.Redemption.REFUSED;
    redemption
        .reuse()
        .ifPresent(
            reused -> {
              LOG.warning(
                  () ->
                      "a spent socket ticket was presented again; closing the sockets of its chain"
                          + " (device "
                          + reused.deviceId()
                          + ", user "
                          + reused.userId()
                          + ")");
              connected.closeChain(reused.deviceId(), reused.chain());
            });
    if (redemption.granted().isEmpty()) {
      refuse("the first frame must be hello with a fresh socket ticket");
      return;
    }
    grant = redemption.granted().get();
    connected.register(this);
    if (tickets.chainEnded(grant)) {
      connected.unregister(this);
      refuse(REUSED);
      return;
    }
    // A resumption's device was read from the database by the first socket of its chain; since
    // then only a revocation on this node, which marks it before closing sockets, can have ended
    // it.
    boolean deviceActive =
        grant.resumption() ? !tickets.revokedOnThisNode(grant) : activeDevice().isPresent();
    if (!statuses.mayUseRedoubt(grant.userId()) || !deviceActive) {
      connected.unregister(this);
      refuse(MAY_NOT_CONNECT);
      return;
    }
    authenticated = true;
    session.setMaxIdleTimeout(IDLE_TIMEOUT_MS);
    reply(
        new SocketFrame(
            "ready",
            tickets.issueResumption(grant).orElse(null),
            null,
            null,
            null,
            null,
            null,
            null,
            null));
    worker.execute(this::readWholeQueue);
  }

  /** The grant's device from the database, if it is still active. */
  private Optional<Device> activeDevice() {
    return connected.activeDevice(grant.deviceId());
  }

  private void refuse(String why) {
    close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, why));
  }

  private void acknowledge(SocketFrame frame) {
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
    try {
      // On success the window hears of it from the group commit, once the rows are deleted (see
      // acknowledged below); only a failure is answered here.
      commits
          .acknowledge(grant.deviceId(), known)
          .whenComplete(
              (done, failure) -> {
                if (failure != null) {
                  worker.execute(
                      () -> {
                        LOG.log(Level.WARNING, "an acknowledgement failed", failure);
                        replyNow(
                            error(
                                frame.requestId(),
                                500,
                                "internal-server-error",
                                "The acknowledgement was not stored; send it again."));
                      });
                }
              });
    } catch (ServerBusyException e) {
      reply(failed(frame, e));
    }
  }

  private void send(SocketFrame frame) {
    if (frame.envelope() == null || frame.conversationId() == null) {
      reply(
          error(
              frame.requestId(),
              400,
              "malformed-frame",
              "A send frame carries conversationId and envelope."));
      return;
    }
    if (sender == null) {
      // Revoked since hello: the revocation closes this socket too, if it has not yet.
      sender = activeDevice().orElse(null);
      if (sender == null) {
        refuse(MAY_NOT_CONNECT);
        return;
      }
    }
    try {
      limits.take(RateLimits.Action.SEND, grant.deviceId(), 1);
      envelopes
          .submit(
              ConversationResource.id(frame.conversationId()),
              frame.envelope(),
              grant.userId(),
              sender)
          .whenComplete(
              // Completed on the group commit's thread: the answer is made on this socket's.
              (outcome, failure) -> worker.execute(() -> answer(frame, outcome, failure)));
    } catch (Exception e) {
      reply(failed(frame, e));
    }
  }

  /** On the worker only: {@code accepted}, or the error that refused the send. */
  private void answer(SocketFrame frame, Mailroom.Outcome outcome, Throwable failure) {
    if (failure == null) {
      try {
        write(WireJson.acceptedFrame(frame.requestId(), Envelopes.accepted(outcome)));
        return;
      } catch (Exception refused) {
        failure = refused;
      }
    }
    replyNow(failed(frame, failure));
  }

  private static SocketFrame failed(SocketFrame frame, Throwable failure) {
    Exception cause =
        failure instanceof Exception e ? e : new IllegalStateException("send failed", failure);
    SocketProblem problem = SocketProblems.of(cause);
    if (problem.status() >= 500) {
      LOG.log(Level.WARNING, "a socket send failed", failure);
    }
    return new SocketFrame("error", null, frame.requestId(), null, null, null, null, null, problem);
  }

  /**
   * New envelope rows for this device, from the group commit that stored them: pushed at once when
   * the socket is caught up and the window has room; otherwise they come with the next queue read.
   * Called on the committing thread, so it only hands the work over.
   */
  void route(List<QueueItemsAdded.NewItem> items) {
    worker.execute(() -> window.route(items));
  }

  /**
   * Items of this device whose acknowledgement committed, over this socket, another of the device's
   * or REST: they leave the window. Here, when the rows are deleted, not when the frame arrives:
   * see DeliveryWindow.acknowledged.
   */
  void acknowledged(List<Long> seqs) {
    worker.execute(
        () -> {
          if (readable()) {
            window.acknowledged(seqs);
          }
        });
  }

  /** After each expiry sweep: rows may have left the queue unacknowledged (see DeliveryWindow). */
  void itemsMayHaveLeft() {
    worker.execute(
        () -> {
          if (readable()) {
            window.itemsMayHaveLeft();
          }
        });
  }

  /** New rows this socket learns of by reading the queue (control messages). */
  void queueChanged() {
    worker.execute(this::readWholeQueue);
  }

  /** On the worker only: on connect and for control messages. */
  private void readWholeQueue() {
    if (readable()) {
      window.readWholeQueue();
    }
  }

  /** Whether the queue is worth reading: the device authenticated and is still connected. */
  private boolean readable() {
    return authenticated && session.isOpen() && !tokenExpired();
  }

  /** The device's queue as item frames, for the window. */
  private DeliveryWindow.Page page(long after, int limit) {
    DeviceQueues.QueuePage page = connected.page(grant.deviceId(), after, limit, clock.instant());
    long lastSeq = page.items().isEmpty() ? after : page.items().get(page.items().size() - 1).seq();
    return new DeliveryWindow.Page(ItemFrames.of(page), lastSeq, page.more());
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

  long chain() {
    return grant.chain();
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

  /** Sends a frame after whatever this socket has queued before it. */
  private void reply(SocketFrame frame) {
    worker.execute(() -> replyNow(frame));
  }

  /** On the worker only. */
  private void replyNow(SocketFrame frame) {
    write(JSON.toJson(frame));
  }

  /** On the worker only: frames of one socket are written by one thread at a time, in order. */
  private void write(String text) {
    try {
      if (session.isOpen()) {
        session.getBasicRemote().sendText(text);
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "a socket write failed; the item stays queued", e);
    }
  }

  /** On the worker only: sends what the last tasks wrote. */
  private void flush() {
    try {
      if (session.isOpen()) {
        session.getBasicRemote().flushBatch();
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "a socket flush failed; its items stay queued", e);
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
            detail,
            null));
  }
}
