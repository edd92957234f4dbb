package io.redoubt.ldapsync.keycloak;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Delivers hints to Redoubt from one daemon thread: a bounded queue in front, retries with
 * exponential backoff behind. {@link #offer} never blocks and never throws, so that it is safe to
 * call from Keycloak's request threads; whatever cannot be delivered is left to Redoubt's periodic
 * reconciliation, which reads everything anyway.
 *
 * <p>A hint for a user already waiting in the queue is not queued twice (one change often raises
 * both an admin event and a model event). Neither the client secret nor the access token is ever
 * logged.
 */
public final class HintSender implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(HintSender.class.getName());
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
  private static final Pattern ACCESS_TOKEN =
      Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern EXPIRES_IN = Pattern.compile("\"expires_in\"\\s*:\\s*(\\d+)");

  /** How one attempt went. */
  enum Outcome {
    DELIVERED,
    /** Redoubt refused the hint itself (400, 403, 404): trying again cannot help. */
    REFUSED,
    RETRY
  }

  private final PushSettings settings;
  private final String tokenForm;
  private final HttpClient http;
  private final BlockingQueue<DirectoryHint> queue;
  private final Set<String> waiting = ConcurrentHashMap.newKeySet();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong lastDropWarning = new AtomicLong();
  private final Thread worker;
  private volatile boolean closed;
  private String token;
  private Instant tokenExpires = Instant.EPOCH;

  /**
   * @param secret the resolved client secret (kept only inside the token request form)
   * @param tls trusts Redoubt's and Keycloak's certificates
   */
  public HintSender(PushSettings settings, String secret, SSLContext tls) {
    this.settings = settings;
    this.tokenForm =
        "grant_type=client_credentials&client_id="
            + URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8)
            + "&client_secret="
            + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    this.http =
        HttpClient.newBuilder()
            .sslContext(tls)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
    this.queue = new LinkedBlockingQueue<>(settings.queueCapacity());
    this.worker = new Thread(this::deliverForever, "redoubt-directory-events");
    this.worker.setDaemon(true);
  }

  /** Starts the delivery thread. */
  public void start() {
    worker.start();
  }

  /**
   * Queues a hint; returns at once. False when it was dropped (queue full, or closed); true when it
   * is queued or one for the same user already waits.
   */
  public boolean offer(DirectoryHint hint) {
    if (closed) {
      return false;
    }
    String key = hint.realm() + "/" + hint.userId();
    if (!waiting.add(key)) {
      return true;
    }
    if (queue.offer(hint)) {
      return true;
    }
    waiting.remove(key);
    long count = dropped.incrementAndGet();
    long now = System.currentTimeMillis();
    long last = lastDropWarning.get();
    if (now - last > 60_000 && lastDropWarning.compareAndSet(last, now)) {
      LOG.warning(
          "Redoubt directory hints: queue full ("
              + settings.queueCapacity()
              + "), "
              + count
              + " dropped so far; Redoubt's periodic reconciliation will catch up");
    }
    return false;
  }

  /** Hints delivered so far. */
  public long delivered() {
    return delivered.get();
  }

  /** Hints dropped so far (queue full or out of attempts). */
  public long dropped() {
    return dropped.get();
  }

  /** Hints waiting. */
  public int waiting() {
    return queue.size();
  }

  /** Stops the thread; hints still queued are left to the reconciliation. */
  @Override
  public void close() {
    closed = true;
    worker.interrupt();
  }

  private void deliverForever() {
    try {
      while (!closed) {
        DirectoryHint hint = queue.take();
        waiting.remove(hint.realm() + "/" + hint.userId());
        deliverWithRetries(hint);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliverWithRetries(DirectoryHint hint) throws InterruptedException {
    Duration backoff = settings.firstBackoff();
    for (int attempt = 1; ; attempt++) {
      Outcome outcome;
      String why;
      try {
        HttpResponse<Void> answer = post(hint);
        int status = answer.statusCode();
        if (status == 401) {
          token = null; // expired or revoked early: sign in again on the next attempt
        }
        outcome =
            status / 100 == 2
                ? Outcome.DELIVERED
                : (status == 401 || status == 408 || status == 429 || status >= 500)
                    ? Outcome.RETRY
                    : Outcome.REFUSED;
        why = "HTTP " + status;
      } catch (IOException e) {
        outcome = Outcome.RETRY;
        why = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      if (outcome == Outcome.DELIVERED) {
        delivered.incrementAndGet();
        LOG.fine(() -> "Redoubt told: " + hint.kind() + " " + hint.userId());
        return;
      }
      if (outcome == Outcome.REFUSED || attempt >= settings.maxAttempts()) {
        dropped.incrementAndGet();
        LOG.warning(
            "Redoubt directory hint "
                + hint.kind()
                + " for user "
                + hint.userId()
                + " given up after "
                + attempt
                + " attempt(s) ("
                + why
                + "); the periodic reconciliation will catch the change");
        return;
      }
      LOG.log(
          Level.INFO,
          "Redoubt directory hint for user {0} not delivered ({1}); retrying in {2} ms",
          new Object[] {hint.userId(), why, backoff.toMillis()});
      Thread.sleep(backoff.toMillis());
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  private HttpResponse<Void> post(DirectoryHint hint) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(settings.eventsUri())
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(hint.toJson()))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding());
  }

  /** Only the delivery thread calls this: no locking needed. */
  private String token() throws IOException, InterruptedException {
    if (token != null && Instant.now().isBefore(tokenExpires)) {
      return token;
    }
    HttpRequest request =
        HttpRequest.newBuilder(settings.tokenUri())
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(tokenForm))
            .build();
    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    Matcher value = ACCESS_TOKEN.matcher(answer.body() == null ? "" : answer.body());
    if (answer.statusCode() != 200 || !value.find()) {
      // The status only: the body may echo what was sent.
      throw new IOException(
          "the token endpoint refused client "
              + settings.clientId()
              + " (HTTP "
              + answer.statusCode()
              + ")");
    }
    Matcher expires = EXPIRES_IN.matcher(answer.body());
    long lifetime = expires.find() ? Long.parseLong(expires.group(1)) : 60;
    token = value.group(1);
    // Renew early (30 s, or half-way for short tokens) so a hint never carries an expired token.
    tokenExpires = Instant.now().plusSeconds(Math.max(1, Math.min(lifetime - 30, lifetime / 2)));
    return token;
  }
}
