package io.redoubt.client.messaging;

import io.redoubt.client.AccessToken;
import io.redoubt.client.Json;
import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.RedoubtClient;
import io.redoubt.client.device.DeviceIdentity;
import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.api.MessageAccepted;
import io.redoubt.protocol.api.QueueItem;
import io.redoubt.protocol.api.SocketFrame;
import io.redoubt.protocol.api.SocketTicketResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * One device's delivery socket ({@code wss://<server>/ws}, docs: messaging, "The socket"), on the
 * JDK's {@link WebSocket} with the same TLS trust as {@link RedoubtClient}. {@link #open} gets a
 * ticket over REST (with the device proof), sends it in the {@code hello} frame and waits for
 * {@code ready}; the server then pushes the device's backlog and every new queue item as soon as it
 * is stored. The items are handed to {@link Messenger#open} exactly like a REST read, and
 * acknowledged here ({@link #acknowledge}) once the caller has handled them: until then they stay
 * queued on the server and come again on the next connection (at least once).
 *
 * <p>Envelopes can be sent over the socket too ({@link #send}; {@link Messenger#send(AccessToken,
 * UUID, OutgoingMessage, QueueSocket)} does): the connection was authenticated once, when it
 * opened, so a send costs no bearer-token check and no device proof, and many sends may be in
 * flight at once. The server checks each envelope exactly as over REST and answers once it is
 * durably stored.
 *
 * <p>The socket lasts as long as the token it was opened under; the server then closes it (1008).
 * The items arrive on the JDK's thread and wait here in a queue; {@link #next} is for one thread.
 */
public final class QueueSocket implements AutoCloseable {

  /** How long opening the socket and the server's {@code ready} may take. */
  static final Duration OPEN_TIMEOUT = Duration.ofSeconds(15);

  /**
   * After the first item, how long {@link #next} waits for more: a backlog is pushed as a burst, so
   * a short quiet period gathers it into one batch without delaying a lone live message much.
   */
  static final Duration QUIET = Duration.ofMillis(250);

  /** Items {@link #next} returns at most (the server keeps at most 500 in flight). */
  static final int BATCH = 500;

  /** Sequence numbers per {@code ack} frame (the server takes at most 1,000). */
  static final int ACK_BATCH = 500;

  /**
   * How often an open socket pings the server. A connection that sends nothing is closed by the
   * server's HTTPS listener after 90 s (WildFly's {@code read-timeout}, code 1006), well before the
   * socket's own idle limit of 300 s: a socket that only waits for news must still say something.
   */
  static final Duration PING_INTERVAL = Duration.ofSeconds(30);

  /** One daemon thread pings every socket of this process. */
  private static final ScheduledExecutorService PINGS =
      Executors.newSingleThreadScheduledExecutor(
          work -> {
            Thread thread = new Thread(work, "redoubt-socket-ping");
            thread.setDaemon(true);
            return thread;
          });

  private final LinkedBlockingQueue<QueueItem> items = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private final SocketSends sends = new SocketSends();

  /** Held while a frame is written: the JDK's socket takes one outgoing message at a time. */
  private final Object writing = new Object();

  /** Where and as whom this socket was opened: what {@link #reopen} opens the next one with. */
  private final Origin origin;

  /** The server's resumption ticket from {@code ready}; taken (once) by {@link #reopen}. */
  private final AtomicReference<String> resumption = new AtomicReference<>();

  /** Whether this socket was opened with a resumption ticket rather than a REST one. */
  private final boolean resumed;

  private WebSocket socket;
  private volatile ScheduledFuture<?> pinging;

  private QueueSocket(Origin origin, boolean resumed) {
    this.origin = origin;
    this.resumed = resumed;
  }

  /**
   * Opens {@code device}'s socket on {@code server} with a ticket from REST (a proved request) and
   * waits until the server is ready.
   *
   * @param server the server's base URL ({@code https://...}); the socket is {@code wss://} on the
   *     same host and port
   * @throws IOException when the socket cannot be opened or the server closes it instead of {@code
   *     ready}, with the close code and reason
   */
  public static QueueSocket open(
      RedoubtClient client, URI server, SSLContext tls, AccessToken token, DeviceIdentity device)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    SocketTicketResponse ticket = client.socketTicket(token, device);
    return connect(new Origin(client, server, tls, token, device), ticket.ticket(), false);
  }

  /**
   * Opens the device's next socket, typically after this one closed (a network change, a sleep).
   * When {@code token} is the token this socket was opened under and the server gave this socket a
   * resumption ticket, the new socket says {@code hello} with that ticket: no HTTPS request, no
   * bearer-token check and no device signature (docs: messaging, "The socket"). Otherwise, or when
   * the server refuses the ticket (used, expired, issued by another node), it opens with a fresh
   * REST ticket under {@code token}, as {@link #open} does. A refreshed token goes the REST way on
   * purpose: a resumed socket ends with the token its chain began under.
   *
   * @throws IOException when neither way opens a socket
   */
  public QueueSocket reopen(AccessToken token)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    String ticket =
        token.value().equals(origin.token().value()) ? resumption.getAndSet(null) : null;
    if (ticket != null) {
      try {
        return connect(origin, ticket, true);
      } catch (IOException refused) {
        // The ticket cannot be used; the proved way below decides whether the device may connect.
      }
    }
    return open(origin.client(), origin.server(), origin.tls(), token, origin.device());
  }

  /** Whether {@link #reopen} under the same token can resume without a REST request. */
  public boolean canResume() {
    return resumption.get() != null;
  }

  /** Whether this socket resumed an earlier one ({@link #reopen}) instead of a REST ticket. */
  public boolean resumed() {
    return resumed;
  }

  private static QueueSocket connect(Origin origin, String ticket, boolean resuming)
      throws IOException, InterruptedException {
    QueueSocket opened = new QueueSocket(origin, resuming);
    URI endpoint = URI.create("wss://" + origin.server().getRawAuthority() + "/ws");
    try {
      opened.socket =
          HttpClient.newBuilder()
              .sslContext(origin.tls())
              .connectTimeout(OPEN_TIMEOUT)
              .build()
              .newWebSocketBuilder()
              .connectTimeout(OPEN_TIMEOUT)
              .buildAsync(endpoint, opened.new Frames())
              .get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      // The ticket goes in a frame, never in the URL, where access logs would keep it.
      opened
          .socket
          .sendText(Json.WRITER.writeValueAsString(Map.of("type", "hello", "ticket", ticket)), true)
          .get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      opened.ready.get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      opened.pinging =
          PINGS.scheduleWithFixedDelay(
              opened::ping,
              PING_INTERVAL.toMillis(),
              PING_INTERVAL.toMillis(),
              TimeUnit.MILLISECONDS);
      return opened;
    } catch (ExecutionException e) {
      opened.abort();
      Throwable cause = e.getCause();
      throw cause instanceof IOException io
          ? io
          : new IOException(cause == null ? e.toString() : cause.getMessage(), cause);
    } catch (TimeoutException e) {
      opened.abort();
      throw new IOException("the socket did not open within " + OPEN_TIMEOUT.toSeconds() + " s");
    }
  }

  /**
   * The items pushed next: waits up to {@code wait} for the first, then takes what follows within
   * {@link #QUIET} of the one before (at most {@value #BATCH}). Empty when nothing came in time.
   *
   * @throws IOException when the socket closed and nothing is left to hand out, with the server's
   *     close code and reason
   */
  public List<QueueItem> next(Duration wait) throws IOException, InterruptedException {
    List<QueueItem> batch = new ArrayList<>();
    QueueItem first = items.poll();
    if (first == null) {
      long deadline = System.nanoTime() + wait.toNanos();
      // In short steps, so that a close is noticed before the wait is over.
      while (first == null && System.nanoTime() < deadline) {
        if (closed.isDone() && items.isEmpty()) {
          throw new IOException("the socket closed: " + closed.getNow(""));
        }
        long left = deadline - System.nanoTime();
        first =
            items.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
      }
    }
    if (first == null) {
      return batch;
    }
    batch.add(first);
    QueueItem more;
    while (batch.size() < BATCH
        && (more = items.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)) != null) {
      batch.add(more);
    }
    return batch;
  }

  /** Whether the server has not closed the socket (yet). */
  public boolean isOpen() {
    return !closed.isDone() && socket != null && !socket.isOutputClosed();
  }

  /**
   * Acknowledges handled items over the socket ({@code ack} frames); the server deletes them and
   * pushes more. Returns once the frames are written.
   */
  public void acknowledge(List<Long> seqs) throws IOException, InterruptedException {
    for (int from = 0; from < seqs.size(); from += ACK_BATCH) {
      List<Long> part = seqs.subList(from, Math.min(seqs.size(), from + ACK_BATCH));
      write(
          Json.WRITER.writeValueAsString(Map.of("type", "ack", "seqs", part)),
          "the acknowledgement");
    }
  }

  /**
   * Sends {@code envelope} to {@code conversationId} in a {@code send} frame. Returns once the
   * frame is written; the answer completes when the server has stored the envelope ({@link
   * MessageAccepted}, as REST's 201 or 200), or fails with a {@link RedoubtApiException} carrying
   * the status and problem type REST would have answered (a refusal: nothing was stored), or with
   * an {@link IOException} when the socket closed first (the envelope may have been stored: send
   * the same envelope again, the server stores its message id once).
   *
   * @throws IOException when the frame could not be written (then it was not sent)
   */
  public CompletableFuture<MessageAccepted> send(UUID conversationId, EnvelopeMessage envelope)
      throws IOException, InterruptedException {
    SocketSends.Pending pending = sends.register();
    if (pending.answer().isDone()) {
      return pending.answer();
    }
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("type", "send");
    frame.put("requestId", pending.requestId());
    frame.put("conversationId", conversationId.toString());
    frame.put("envelope", envelope);
    try {
      write(Json.WRITER.writeValueAsString(frame), "the envelope");
    } catch (IOException e) {
      sends.fail(pending.requestId(), e);
      throw e;
    }
    return pending.answer();
  }

  /** How many envelopes sent over this socket wait for the server's answer. */
  public int unansweredSends() {
    return sends.unansweredCount();
  }

  /** On the ping thread: a ping frame, unless the socket is closing or a ping is still going. */
  private void ping() {
    if (closed.isDone() || socket.isOutputClosed()) {
      stopPinging();
      return;
    }
    try {
      socket.sendPing(ByteBuffer.allocate(0));
    } catch (IllegalStateException stillSending) {
      // The last ping has not gone out yet: the connection is busy, which is what a ping is for.
    }
  }

  private void stopPinging() {
    ScheduledFuture<?> scheduled = pinging;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }

  /** Writes one text frame, after the one before it has gone. */
  private void write(String text, String what) throws IOException, InterruptedException {
    synchronized (writing) {
      try {
        socket.sendText(text, true).get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException(what + " could not be sent: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Closes the socket normally and waits briefly for the server's close: frames sent before (the
   * acknowledgements) are handled by the server before it closes, in order.
   */
  @Override
  public void close() {
    if (socket == null) {
      return;
    }
    try {
      if (!socket.isOutputClosed()) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
      }
      closed.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // The server did not answer the close: the connection goes anyway.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopPinging();
      socket.abort();
      sends.closed("closed by this client");
    }
  }

  private void abort() {
    stopPinging();
    if (socket != null) {
      socket.abort();
    }
    sends.closed("aborted by this client");
  }

  /** What a socket was opened with. */
  private record Origin(
      RedoubtClient client, URI server, SSLContext tls, AccessToken token, DeviceIdentity device) {}

  /** Receives the server's frames on the JDK's thread. */
  private final class Frames implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        received(text);
      }
      webSocket.request(1);
      return null;
    }

    private void received(String text) {
      SocketFrame frame;
      try {
        frame = Json.READER.readValue(text, SocketFrame.class);
      } catch (IOException malformed) {
        return; // nothing to act on; the server's frames are well formed
      }
      if (frame.type() == null || sends.answer(frame)) {
        return;
      }
      switch (frame.type()) {
        case "ready" -> {
          // Kept in memory only: the ticket is a bearer secret for the device's next socket.
          resumption.set(frame.ticket());
          ready.complete(null);
        }
        case "item" -> {
          if (frame.item() != null) {
            items.add(frame.item());
          }
        }
        default -> {
          // An "error" without a request id of ours answers a frame the server could not read;
          // this client writes well-formed frames, and the server closes the socket if it must.
        }
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      String why = statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason);
      closed.complete(why);
      ready.completeExceptionally(new IOException("the server closed the socket: " + why));
      sends.closed(why);
      stopPinging();
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete("error: " + error.getMessage());
      sends.closed("error: " + error.getMessage());
      stopPinging();
      ready.completeExceptionally(
          error instanceof IOException io ? io : new IOException(error.getMessage(), error));
    }
  }
}
