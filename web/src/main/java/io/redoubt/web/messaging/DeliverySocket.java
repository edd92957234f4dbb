package io.redoubt.web.messaging;

import io.redoubt.devices.Device;
import io.redoubt.directory.DirectoryStatuses;
import io.redoubt.messaging.DeviceQueues;
import io.redoubt.messaging.Mailroom;
import io.redoubt.messaging.QueueItemsAdded;
import io.redoubt.protocol.api.SocketFrame;
import io.redoubt.protocol.api.SocketFrame.SocketProblem;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import jakarta.json.JsonException;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xnio.Buffers;
import org.xnio.IoUtils;
import org.xnio.Pooled;

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
 *
 * <p>It runs on Undertow's WebSocket channel directly (see {@link SocketRoute} for why not through
 * Jakarta WebSocket). Frames arrive on an I/O thread and are handed, in order, to this socket's
 * {@link SerialExecutor}, where all its work runs; frames leave without blocking that thread.
 */
final class DeliverySocket {

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

  /** Why a socket whose device has stopped reading its frames closes (1008). */
  static final String NOT_READING = "the device does not read its socket";

  /** Frames from the device: envelopes for large groups approach the 1 MiB body limit. */
  static final int MAX_FRAME_BYTES = 2 * 1024 * 1024;

  /**
   * Frames written and not yet taken by the connection, at most: a full window of items and the
   * answers to the sends in flight fit many times over. A device that stops reading while it goes
   * on sending would otherwise make the server hold its answers without bound.
   */
  static final int MAX_UNSENT_FRAMES = 4 * DeliveryWindow.WINDOW;

  private final SocketTickets tickets;
  private final ConnectedDevices connected;
  private final Envelopes envelopes;
  private final CommitQueue commits;
  private final RateLimits limits;
  private final DirectoryStatuses statuses;
  private final WebSocketChannel channel;

  private final Clock clock = Clock.systemUTC();
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
  private final SerialExecutor worker;

  /** What is pushed and what comes next; only on the worker. */
  private final DeliveryWindow window = new DeliveryWindow(this::page, this::write);

  /** Frames handed to the channel and not yet written out (see {@link #MAX_UNSENT_FRAMES}). */
  private final AtomicInteger unsent = new AtomicInteger();

  /** Counts a frame out once the channel has written it, or failed to. */
  private final WebSocketCallback<Void> frameOut =
      new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel ignored, Void context) {
          unsent.decrementAndGet();
        }

        @Override
        public void onError(WebSocketChannel ignored, Void context, Throwable failure) {
          unsent.decrementAndGet();
          LOG.log(Level.FINE, "a socket write failed; its item stays queued", failure);
        }
      };

  /** Drops the connection once the close frame is out (or could not be sent). */
  private static final WebSocketCallback<Void> CLOSE_AFTER_SENDING =
      new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel channel, Void context) {
          drop(channel);
        }

        @Override
        public void onError(WebSocketChannel channel, Void context, Throwable failure) {
          drop(channel);
        }
      };

  private static void drop(WebSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing a socket's connection failed", e);
    }
  }

  /** Made by {@link SocketEndpoint} for a channel just upgraded; reads nothing until started. */
  DeliverySocket(
      SocketTickets tickets,
      ConnectedDevices connected,
      Envelopes envelopes,
      CommitQueue commits,
      RateLimits limits,
      DirectoryStatuses statuses,
      WebSocketChannel channel) {
    this.tickets = tickets;
    this.connected = connected;
    this.envelopes = envelopes;
    this.commits = commits;
    this.limits = limits;
    this.statuses = statuses;
    this.channel = channel;
    this.worker = new SerialExecutor(connected.executor());
  }

  /** Starts reading the device's frames; the socket unregisters when the channel closes. */
  void start() {
    channel.setIdleTimeout(HELLO_TIMEOUT_MS);
    channel.addCloseTask(closing -> closed());
    channel.getReceiveSetter().set(new Frames());
    channel.resumeReceives();
  }

  /**
   * The device's frames, on the channel's I/O thread: each whole text frame is handed to the worker
   * as its bytes; pings are answered and close frames echoed by Undertow.
   */
  private final class Frames extends AbstractReceiveListener {

    /**
     * Buffers the frame as bytes rather than as a {@link String}: the channel has checked them as
     * UTF-8 already (RFC 6455 section 8.1; a frame that is not fails the read, which drops the
     * connection), and Undertow's text buffering decodes them again a byte at a time into a {@code
     * StringBuilder} (a seventh of WildFly's samples in a JFR profile of the 1:1 relay, though
     * WildFly's CPU per message measured without the profiler fell by less than the noise). The
     * frame is decoded once, into the String the JSON reader reads. A frame over {@link
     * #MAX_FRAME_BYTES} is closed with 1009, as text buffering did.
     */
    @Override
    protected void onText(WebSocketChannel ignored, StreamSourceFrameChannel frame) {
      new BufferedBinaryMessage(MAX_FRAME_BYTES, true)
          .read(
              frame,
              new WebSocketCallback<>() {
                @Override
                public void complete(WebSocketChannel ignored, BufferedBinaryMessage message) {
                  byte[] bytes;
                  try (Pooled<ByteBuffer[]> data = message.getData()) {
                    ByteBuffer[] buffers = data.getResource();
                    bytes = Buffers.take(buffers, 0, buffers.length);
                  }
                  if (channel.isCloseFrameSent()) {
                    // The server is closing this socket (revoked, offboarded, token expired,
                    // ...): frames that cross the close frame are not acted on.
                    return;
                  }
                  worker.execute(() -> message(bytes));
                }

                @Override
                public void onError(
                    WebSocketChannel channel, BufferedBinaryMessage message, Throwable failure) {
                  message.getData().free();
                  Frames.this.onError(channel, failure);
                }
              });
    }

    /**
     * A device sends JSON text frames only. Undertow's default would buffer a binary frame of any
     * size and never give its buffers back.
     */
    @Override
    protected void onBinary(WebSocketChannel ignored, StreamSourceFrameChannel frame) {
      IoUtils.safeClose(frame);
      close(ConnectedDevices.UNSUPPORTED_DATA, "A device sends JSON text frames.");
    }
  }

  /** On the worker only: one frame from the device. */
  private void message(byte[] text) {
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
    channel.setIdleTimeout(IDLE_TIMEOUT_MS);
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
    close(ConnectedDevices.VIOLATED_POLICY, why);
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
    return authenticated && channel.isOpen() && !tokenExpired();
  }

  /** The device's queue as item frames, for the window. */
  private DeliveryWindow.Page page(long after, int limit) {
    DeviceQueues.QueuePage page = connected.page(grant.deviceId(), after, limit, clock.instant());
    long lastSeq = page.items().isEmpty() ? after : page.items().get(page.items().size() - 1).seq();
    return new DeliveryWindow.Page(ItemFrames.of(page), lastSeq, page.more());
  }

  private boolean tokenExpired() {
    if (grant != null && clock.instant().isAfter(grant.tokenExpiresAt())) {
      close(ConnectedDevices.VIOLATED_POLICY, "access token expired");
      return true;
    }
    return false;
  }

  /** The channel closed, however: normally, by error, by idle timeout or by the server. */
  private void closed() {
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

  /**
   * Sends a close frame with the code and reason, then closes the connection without waiting for
   * the device's own close frame (RFC 6455 lets the server close the TCP connection first), so a
   * device that ignores it keeps nothing open. Any thread.
   */
  void close(int code, String reason) {
    if (!channel.isOpen() || channel.isCloseFrameSent()) {
      return;
    }
    WebSockets.sendClose(code, reason, channel, CLOSE_AFTER_SENDING);
  }

  /** Sends a frame after whatever this socket has queued before it. */
  private void reply(SocketFrame frame) {
    worker.execute(() -> replyNow(frame));
  }

  /** On the worker only. */
  private void replyNow(SocketFrame frame) {
    write(JSON.toJson(frame));
  }

  /**
   * On the worker only, so frames leave in the order written. The channel queues the frame and its
   * I/O thread writes it: frames written while that thread is busy leave together. Nothing here
   * waits for the device to read.
   */
  private void write(String text) {
    if (!channel.isOpen() || channel.isCloseFrameSent()) {
      return;
    }
    if (unsent.incrementAndGet() > MAX_UNSENT_FRAMES) {
      unsent.decrementAndGet();
      LOG.fine(() -> "closing a socket whose device does not read it");
      close(ConnectedDevices.VIOLATED_POLICY, NOT_READING);
      // The close frame waits behind the frames the device does not read: drop the connection
      // now rather than when the idle timeout comes (items unacknowledged come again later).
      drop(channel);
      return;
    }
    WebSockets.sendText(text, channel, frameOut);
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
