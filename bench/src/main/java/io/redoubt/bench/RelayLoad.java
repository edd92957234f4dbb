package io.redoubt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redoubt.client.AccessToken;
import io.redoubt.client.OidcSignIn;
import io.redoubt.client.OrganisationPins;
import io.redoubt.client.RedoubtClient;
import io.redoubt.client.TrustAnchors;
import io.redoubt.client.device.DeviceIdentity;
import io.redoubt.client.device.DeviceKeyStore;
import io.redoubt.client.device.PrekeyVault;
import io.redoubt.client.directory.DeviceVerifier;
import io.redoubt.client.directory.PeerDevices;
import io.redoubt.client.messaging.MessageIds;
import io.redoubt.client.messaging.Messenger;
import io.redoubt.client.messaging.OutgoingMessage;
import io.redoubt.client.messaging.RecipientCheck;
import io.redoubt.client.messaging.SeenMessages;
import io.redoubt.client.transparency.LogMonitor;
import io.redoubt.client.transparency.LogReader;
import io.redoubt.client.transparency.MonitorState;
import io.redoubt.client.trust.RevocationCheck;
import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.auth.RequestProof;
import io.redoubt.protocol.crypto.EcdsaP384;
import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.crypto.SealedContent;
import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.EnvelopeHeader;
import io.redoubt.protocol.envelope.RecipientEntry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;

/**
 * Relay load against a running lab over the device socket ({@code /ws}): enrolled devices of the
 * demo users hold one authenticated socket each, send envelopes with {@code send} frames at a
 * target rate (or as fast as the server accepts them, with a window of unanswered sends per
 * socket), receive them as {@code item} frames and acknowledge them, while the tool measures
 * send→accepted and send→delivered latency, throughput, errors, and the server's CPU and heap.
 *
 * <p>Envelopes are built and signed (real ECDSA P-384 by the sender's identity key) before the
 * clock starts, so the tool's own crypto does not compete with the server for the cores. Their
 * content and recipient entries are random bytes of the real sizes: the server never opens them (it
 * checks the recipient set, sizes and, only when {@code redoubt.messaging.verify-signatures} is on,
 * the signature); sealing itself is measured on its own by {@link SealBenchmark}.
 *
 * <p>Also: the server heap per idle authenticated socket, socket session set-ups per second (proved
 * ticket request, TLS WebSocket upgrade, hello, ready), and (phase {@code group-send}) what the
 * SDK's own send costs to a large group, recipient verification included, which the socket phases
 * leave out on purpose. Run with {@code bench/bin/relay-load}.
 */
public final class RelayLoad {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final LabState lab;
  private final Map<String, String> options;
  private final CpuMeter cpu;
  private final SSLContext tls;
  private final HttpClient http;
  private final URI server;
  private final URI socketUri;
  private final Map<String, AccessToken> tokens = new ConcurrentHashMap<>();
  private final Map<String, String> userIds = new HashMap<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

  private RelayLoad(LabState lab, Map<String, String> options) throws Exception {
    this.lab = lab;
    this.options = options;
    this.cpu = CpuMeter.of(lab);
    this.tls = TrustAnchors.fromPem(lab.tlsCertificate());
    this.http = LabState.httpClient(tls);
    this.server = URI.create(lab.env("REDOUBT_URL"));
    this.socketUri = URI.create(lab.env("REDOUBT_URL").replaceFirst("^https", "wss") + "/ws");
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    if (options.containsKey("help") || !options.containsKey("state")) {
      System.out.println(
          """
          Usage: RelayLoad --state LAB_DIR [--phases direct,group,idle,setup,group-send,seal,xmpp]
                 [--rates 0,1000,10000] (0: as fast as accepted, --window unanswered sends per socket)
                 [--window 32] [--seconds 20] [--warmup 5] [--max-messages 200000]
                 [--group-recipients 10] [--content-bytes 256] [--unsigned]
                 [--idle-sockets 2000] [--idle-ping 30] [--idle-histogram] [--idle-heap-dump FILE.hprof]
                 [--setup-clients 16] [--setup-seconds 20]
                 [--setup-modes full,resumed,resumed-tls12] [--setup-proofs 30000]
                 [--setup-client-tls bc|jdk] (the resumed set-ups' TLS client: BCJSSE, or SunJSSE)
                 [--setup-client http|bare] (the JDK's WebSocket client, or a blocking TLS socket)
                 [--users alice,bob,carol,dave,ann]
                 [--group-send-devices 100] [--group-sends 10] [--group-send-one-time 22]
                 (phase group-send: devices per user, at most the lab's
                  redoubt.devices.max-per-user, which is 5 unless WildFly runs with
                  REDOUBT_DEVICES_MAX_PER_USER=100; one-time prekeys each device publishes, by
                  default enough for every claim; SDK sends timed one after the other)
                 [--xmpp-port 5622] [--xmpp-rates 10000,40000] [--pairs 10] (phase xmpp)
          The lab's WildFly must run with the send rate limit and the socket and device limits raised
          (see docs/performance: REDOUBT_MESSAGING_SENDS_PER_MINUTE and friends).
          """);
      return;
    }
    Security.addProvider(new BouncyCastleFipsProvider());
    RelayLoad load = new RelayLoad(LabState.read(Path.of(options.get("state"))), options);
    try {
      load.run();
    } finally {
      load.ticker.shutdownNow();
    }
    System.exit(0); // the JDK's WebSocket and HTTP client threads would otherwise linger
  }

  private int option(String name, int fallback) {
    return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
  }

  private void run() throws Exception {
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, Java %s; load average %s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        loadAverage());
    List<String> users =
        List.of(options.getOrDefault("users", "alice,bob,carol,dave,ann").split(","));
    List<String> phases =
        List.of(options.getOrDefault("phases", "direct,group,idle,setup").split(","));
    signIn(users);
    for (String user : users) {
      EnrollmentLoad.revokeActive(http, server, tokens.get(user).authorization());
    }
    List<Device> devices = new ArrayList<>();
    for (String user : users) {
      devices.add(enroll(user, devices.size()));
    }
    if (phases.contains("direct")) {
      // One device per user, so that a direct conversation has exactly one recipient device.
      Map<Device, List<UUID>> conversations = new LinkedHashMap<>();
      for (Device a : devices) {
        for (Device b : devices) {
          if (!a.equals(b)) {
            UUID id = direct(a.user(), b.user());
            conversations.computeIfAbsent(a, k -> new ArrayList<>()).add(id);
          }
        }
      }
      // A conversation's devices; the sender's own is left out of each envelope's recipients.
      Map<UUID, List<Device>> recipients = new HashMap<>();
      for (Device a : devices) {
        for (Device b : devices) {
          if (!a.equals(b)) {
            recipients.put(direct(a.user(), b.user()), List.of(a, b));
          }
        }
      }
      for (String rate : options.getOrDefault("rates", "0,1000,10000").split(",")) {
        signIn(users);
        relay("1:1", devices, conversations, recipients, Integer.parseInt(rate));
      }
    }
    if (phases.contains("group")) {
      int total = option("group-recipients", 10) + 1;
      while (devices.size() < total) {
        devices.add(enroll(users.get(devices.size() % users.size()), devices.size()));
      }
      UUID group = group(users);
      Map<Device, List<UUID>> conversations = new LinkedHashMap<>();
      Map<UUID, List<Device>> recipients = new HashMap<>();
      recipients.put(group, List.copyOf(devices));
      for (Device d : devices) {
        conversations.put(d, List.of(group));
      }
      for (String rate : options.getOrDefault("group-rates", "0,1000").split(",")) {
        signIn(users);
        relay(
            "group of " + total + " devices",
            devices,
            conversations,
            recipients,
            Integer.parseInt(rate));
      }
    }
    if (phases.contains("idle")) {
      signIn(users);
      idleSockets(devices, option("idle-sockets", 2000));
    }
    if (phases.contains("setup")) {
      signIn(users);
      setups(devices);
    }
    if (phases.contains("group-send")) {
      signIn(users);
      groupSends(users);
    }
    if (phases.contains("seal")) {
      sealing(option("seal-recipients", 100), option("seal-count", 100));
    }
    if (phases.contains("xmpp")) {
      // The peer in the same run: Prosody on loopback (bench/bin/prosody-lab), right after.
      XmppLoad.run(options);
    }
  }

  // ---- devices, conversations -------------------------------------------------------------

  /** One enrolled device: its user, id and identity key. */
  record Device(String user, String userId, UUID id, PrivateKey identityKey) {}

  private void signIn(List<String> users) throws Exception {
    URI issuer = URI.create(lab.env("KEYCLOAK_URL") + "/realms/redoubt");
    for (String user : users) {
      AccessToken token =
          new OidcSignIn(issuer, "redoubt-cli", tls)
              .withPassword(user, lab.env("DEMO_PASSWORD").toCharArray())
              .access();
      tokens.put(user, token);
      if (!userIds.containsKey(user)) {
        JsonNode me = JSON.readTree(call(user, "GET", "/api/v1/me", null, null, 200));
        userIds.put(user, me.path("userId").asText());
      }
    }
  }

  private String call(
      String user, String method, String path, String json, String proof, int expected)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", tokens.get(user).authorization())
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (proof != null) {
      request.header(RequestProof.HEADER, proof);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected && !(expected == 201 && response.statusCode() == 200)) {
      throw new IllegalStateException(
          method + " " + path + ": " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  private Device enroll(String user, int n) throws Exception {
    return enroll(user, n, identityKeys());
  }

  private static KeyPair identityKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", FipsModule.PROVIDER);
    generator.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private Device enroll(String user, int n, KeyPair identity) throws Exception {
    return enroll(user, n, identity, 0);
  }

  /** Enrolls a device with a signed prekey and {@code oneTime} one-time prekeys. */
  private Device enroll(String user, int n, KeyPair identity, int oneTime) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", FipsModule.PROVIDER);
    generator.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
    List<ECPublicKey> prekeys = new ArrayList<>();
    for (int k = 0; k <= oneTime; k++) {
      prekeys.add((ECPublicKey) generator.generateKeyPair().getPublic());
    }
    UUID deviceId = UUID.randomUUID();
    String body =
        JSON.writeValueAsString(
            EnrollmentLoad.enrollmentBody(deviceId, "relay " + n, identity, prekeys, 0));
    call(user, "POST", "/api/v1/devices", body, null, 201);
    return new Device(user, userIds.get(user), deviceId, identity.getPrivate());
  }

  private final Map<String, UUID> directs = new HashMap<>();

  private UUID direct(String a, String b) throws Exception {
    String key = a.compareTo(b) < 0 ? a + "/" + b : b + "/" + a;
    UUID known = directs.get(key);
    if (known != null) {
      return known;
    }
    String made =
        call(
            a,
            "POST",
            "/api/v1/conversations",
            "{\"kind\":\"direct\",\"with\":\"" + b + "\"}",
            null,
            201);
    UUID id = UUID.fromString(JSON.readTree(made).path("id").asText());
    directs.put(key, id);
    return id;
  }

  private UUID group(List<String> users) throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of(
                "kind", "group", "name", "relay bench", "members", users.subList(1, users.size())));
    String made = call(users.get(0), "POST", "/api/v1/conversations", body, null, 201);
    return UUID.fromString(JSON.readTree(made).path("id").asText());
  }

  private String proof(Device device, String method, String path) throws Exception {
    return RequestProof.sign(
            device.id(),
            method,
            path,
            tokens.get(device.user()).value(),
            device.identityKey(),
            Instant.now(),
            FipsModule.random())
        .headerValue();
  }

  private String ticket(Device device, String proof) throws Exception {
    String path = "/api/v1/devices/" + device.id() + "/socket-tickets";
    return JSON.readTree(call(device.user(), "POST", path, null, proof, 201))
        .path("ticket")
        .asText();
  }

  // ---- the socket ---------------------------------------------------------------------------

  /** What a socket reports to the phase that opened it. */
  interface Events {
    default void item(Socket socket, long seq, String messageId, long nanos) {}

    default void answered(Socket socket, String requestId, String problem, long nanos) {}
  }

  /**
   * One device socket. Frames are sent one after the other (the JDK allows one outstanding send per
   * WebSocket): each send is chained to the previous one. Items are acknowledged in batches by a
   * periodic flush.
   */
  final class Socket implements WebSocket.Listener {
    final Device device;
    final Events events;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final Queue<Long> toAck = new ConcurrentLinkedQueue<>();
    final AtomicLong sendFailures = new AtomicLong();
    private final StringBuilder partial = new StringBuilder();
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    volatile WebSocket ws;
    volatile String closed;

    /** The ticket the server's {@code ready} carried, for the device's next socket. */
    volatile String resumption;

    Socket(Device device, Events events) {
      this.device = device;
      this.events = events;
    }

    /** Opens the socket and says hello with a ticket got with {@code proof}. */
    CompletableFuture<Void> open(String proof) throws Exception {
      return hello(ticket(device, proof));
    }

    /**
     * Opens the socket and says hello with {@code ticket}: from REST, or the resumption ticket of
     * an earlier socket's {@code ready} (then no HTTPS request and no device proof).
     */
    CompletableFuture<Void> hello(String ticket) {
      return hello(ticket, http);
    }

    /** As {@link #hello(String)}, over {@code client}'s TLS settings. */
    CompletableFuture<Void> hello(String ticket, HttpClient client) {
      return client
          .newWebSocketBuilder()
          .connectTimeout(Duration.ofSeconds(30))
          .buildAsync(socketUri, this)
          .thenCompose(
              opened -> {
                ws = opened;
                send("{\"type\":\"hello\",\"ticket\":\"" + ticket + "\"}");
                return ready;
              });
    }

    synchronized void send(String text) {
      tail =
          tail.thenCompose(x -> ws.sendText(text, true))
              .handle(
                  (w, e) -> {
                    if (e != null) {
                      sendFailures.incrementAndGet();
                    }
                    return null;
                  });
    }

    void flushAcks() {
      if (toAck.isEmpty() || ws == null) {
        return;
      }
      StringBuilder frame = new StringBuilder("{\"type\":\"ack\",\"seqs\":[");
      Long seq;
      int n = 0;
      while (n < 500 && (seq = toAck.poll()) != null) {
        frame.append(n++ == 0 ? "" : ",").append(seq);
      }
      send(frame.append("]}").toString());
    }

    /**
     * A WebSocket ping, as an idle client sends to keep its socket; failures only show as closes.
     */
    void ping() {
      if (ws != null && closed == null) {
        try {
          ws.sendPing(java.nio.ByteBuffer.allocate(0));
        } catch (IllegalStateException e) {
          // the previous ping is still being sent; the next one will do
        }
      }
    }

    void close() {
      if (ws != null) {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done")
            .orTimeout(5, TimeUnit.SECONDS)
            .exceptionally(
                e -> {
                  ws.abort();
                  return null;
                });
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      long now = System.nanoTime();
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          frame(JSON.readTree(text), now);
        } catch (Exception e) {
          sendFailures.incrementAndGet();
        }
      }
      socket.request(1);
      return null;
    }

    private void frame(JsonNode frame, long now) {
      switch (frame.path("type").asText()) {
        case "ready" -> {
          resumption = frame.path("ticket").asText(null);
          ready.complete(null);
        }
        case "item" -> {
          JsonNode item = frame.path("item");
          long seq = item.path("seq").asLong();
          toAck.add(seq);
          String messageId = item.path("envelope").path("header").path("messageId").asText(null);
          events.item(this, seq, messageId, now);
        }
        case "accepted" -> events.answered(this, frame.path("requestId").asText(), null, now);
        case "error" -> {
          JsonNode problem = frame.path("problem");
          events.answered(
              this,
              frame.path("requestId").asText(null),
              problem.path("status").asInt()
                  + " "
                  + problem.path("type").asText()
                  + ": "
                  + problem.path("detail").asText(),
              now);
        }
        default -> {}
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
      closed = status + " " + reason;
      ready.completeExceptionally(new IllegalStateException("closed: " + closed));
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      closed = "error " + error;
      ready.completeExceptionally(error);
    }
  }

  /** Opens one socket per device, waits for ready and starts their acknowledgement flush. */
  private List<Socket> openAll(List<Device> devices, Events events) throws Exception {
    List<Socket> sockets = new ArrayList<>();
    for (Device device : devices) {
      Socket socket = new Socket(device, events);
      socket
          .open(proof(device, "POST", "/api/v1/devices/" + device.id() + "/socket-tickets"))
          .get(30, TimeUnit.SECONDS);
      sockets.add(socket);
    }
    return sockets;
  }

  // ---- relaying -----------------------------------------------------------------------------

  /** A prepared send frame: its sender, message id and recipient count. */
  record Prepared(int sender, String messageId, String frame, int recipients) {}

  /** A message in flight: when it was handed to the socket, deliveries still expected. */
  static final class Pending {
    final long sent;
    final boolean measured;
    final AtomicInteger remaining;

    /** Forgotten after the sender's answer and every recipient's delivery, in either order. */
    Pending(long sent, boolean measured, int recipients) {
      this.sent = sent;
      this.measured = measured;
      this.remaining = new AtomicInteger(recipients + 1);
    }
  }

  private void relay(
      String label,
      List<Device> devices,
      Map<Device, List<UUID>> conversations,
      Map<UUID, List<Device>> recipients,
      int rate)
      throws Exception {
    int seconds = option("seconds", 20);
    int warmup = option("warmup", 5);
    int window = option("window", 32);
    List<Device> senders = List.copyOf(conversations.keySet());
    int total =
        rate > 0
            ? Math.min(option("max-messages", 200_000), rate * (seconds + warmup))
            : option("max-messages", 200_000);
    List<Prepared> prepared = prepare(senders, conversations, recipients, total);

    Map<String, Pending> pending = new ConcurrentHashMap<>();
    Latencies delivered = new Latencies();
    Latencies accepted = new Latencies();
    Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    AtomicLong deliveriesInWindow = new AtomicLong();
    AtomicLong acceptedInWindow = new AtomicLong();
    AtomicLong sentInWindow = new AtomicLong();
    AtomicLong duplicates = new AtomicLong();
    long[] clock = new long[2]; // start, end of the measured window (nanoTime)
    List<List<Prepared>> perSender = new ArrayList<>();
    for (int s = 0; s < senders.size(); s++) {
      perSender.add(new ArrayList<>());
    }
    prepared.forEach(p -> perSender.get(p.sender()).add(p));
    AtomicInteger[] nextOfSender = new AtomicInteger[senders.size()];
    for (int s = 0; s < senders.size(); s++) {
      nextOfSender[s] = new AtomicInteger();
    }
    Socket[] senderSocket = new Socket[senders.size()];
    volatileStop = false;

    Events events =
        new Events() {
          @Override
          public void item(Socket socket, long seq, String messageId, long now) {
            if (messageId == null) {
              return; // a control message (conversation created)
            }
            Pending p = pending.get(messageId);
            if (p == null) {
              duplicates.incrementAndGet(); // pushed again, or from an earlier run
              return;
            }
            if (p.measured) {
              delivered.record(now - p.sent);
            }
            if (now >= clock[0] && now < clock[1]) {
              deliveriesInWindow.incrementAndGet();
            }
            if (p.remaining.decrementAndGet() == 0) {
              pending.remove(messageId);
            }
          }

          @Override
          public void answered(Socket socket, String requestId, String problem, long now) {
            Pending p = requestId == null ? null : pending.get(requestId);
            if (problem != null) {
              errors.computeIfAbsent(problem, k -> new AtomicInteger()).incrementAndGet();
              if (requestId != null) {
                pending.remove(requestId);
              }
            } else if (p != null) {
              if (p.measured) {
                accepted.record(now - p.sent);
              }
              if (now >= clock[0] && now < clock[1]) {
                acceptedInWindow.incrementAndGet();
              }
              if (p.remaining.decrementAndGet() == 0) {
                pending.remove(requestId);
              }
            }
            if (rate == 0 && !volatileStop) {
              int s = senders.indexOf(socket.device);
              if (s >= 0) {
                sendNext(s);
              }
            }
          }

          private void sendNext(int s) {
            int i = nextOfSender[s].getAndIncrement();
            if (i < perSender.get(s).size()) {
              handOver(perSender.get(s).get(i));
            }
          }

          private void handOver(Prepared p) {
            long now = System.nanoTime();
            boolean measured = now >= clock[0] && now < clock[1];
            pending.put(p.messageId(), new Pending(now, measured, p.recipients()));
            if (measured) {
              sentInWindow.incrementAndGet();
            }
            senderSocket[p.sender()].send(p.frame());
          }
        };
    List<Device> all = new ArrayList<>();
    recipients
        .values()
        .forEach(
            list ->
                list.forEach(
                    d -> {
                      if (!all.contains(d)) {
                        all.add(d);
                      }
                    }));
    senders.forEach(
        d -> {
          if (!all.contains(d)) {
            all.add(d);
          }
        });
    List<Socket> sockets = openAll(all, events);
    for (Socket socket : sockets) {
      int s = senders.indexOf(socket.device);
      if (s >= 0) {
        senderSocket[s] = socket;
      }
    }
    var flusher =
        ticker.scheduleAtFixedRate(
            () -> sockets.forEach(Socket::flushAcks), 5, 5, TimeUnit.MILLISECONDS);
    Thread.sleep(1000); // the backlog (control messages) arrives and is acknowledged

    long t0 = System.nanoTime();
    clock[0] = t0 + Duration.ofSeconds(warmup).toNanos();
    clock[1] = clock[0] + Duration.ofSeconds(seconds).toNanos();
    CpuMeter.Snapshot[] cpuWindow = new CpuMeter.Snapshot[2];
    long[] heap = new long[2];
    Thread sampler = sampler(clock, cpuWindow, heap);
    Events handle = events;
    if (rate == 0) {
      for (int s = 0; s < senders.size(); s++) {
        for (int w = 0; w < window; w++) {
          int i = nextOfSender[s].getAndIncrement();
          if (i < perSender.get(s).size()) {
            Prepared p = perSender.get(s).get(i);
            long now = System.nanoTime();
            pending.put(p.messageId(), new Pending(now, false, p.recipients()));
            senderSocket[s].send(p.frame());
          }
        }
      }
      while (System.nanoTime() < clock[1]) {
        Thread.sleep(100);
      }
      volatileStop = true;
    } else {
      int i = 0;
      long now;
      while ((now = System.nanoTime()) < clock[1] && i < prepared.size()) {
        long due = (now - t0) * rate / 1_000_000_000L;
        while (i < due && i < prepared.size()) {
          Prepared p = prepared.get(i++);
          boolean measured = now >= clock[0];
          pending.put(p.messageId(), new Pending(now, measured, p.recipients()));
          if (measured) {
            sentInWindow.incrementAndGet();
          }
          senderSocket[p.sender()].send(p.frame());
        }
        LockSupport.parkNanos(100_000);
      }
      if (i >= prepared.size() && now < clock[1]) {
        System.out.println("warning: all prepared messages sent before the window ended");
      }
    }
    sampler.join();
    long drainUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (pending.values().stream().anyMatch(p -> p.measured) && System.nanoTime() < drainUntil) {
      Thread.sleep(100);
    }
    long undelivered = pending.values().stream().filter(p -> p.measured).count();
    flusher.cancel(false);
    sockets.forEach(Socket::flushAcks);
    double secs = seconds;
    System.out.printf(
        Locale.ROOT,
        "%n== %s, %s, %d sending sockets, %d s after %d s warm-up (load average %s)%n",
        label,
        rate == 0
            ? "as fast as accepted, window " + window + " per socket"
            : "target " + rate + " msgs/s",
        senders.size(),
        seconds,
        warmup,
        loadAverage());
    System.out.printf(
        Locale.ROOT,
        "sent %.0f msgs/s, accepted (stored, answered) %.0f msgs/s, delivered %.0f deliveries/s%n",
        sentInWindow.get() / secs,
        acceptedInWindow.get() / secs,
        deliveriesInWindow.get() / secs);
    System.out.println("send -> accepted: " + accepted.summary());
    System.out.println("send -> delivered: " + delivered.summary());
    System.out.printf(
        Locale.ROOT,
        "undelivered or unanswered 10 s after the window: %d messages; items pushed again: %d;"
            + " send failures: %d;"
            + " sockets closed: %s%n",
        undelivered,
        duplicates.get(),
        sockets.stream().mapToLong(s -> s.sendFailures.get()).sum(),
        sockets.stream().filter(s -> s.closed != null).map(s -> s.closed).toList());
    errors.forEach((what, n) -> System.out.println("error frames " + n + "x: " + what));
    if (cpuWindow[1] != null) {
      System.out.println(
          "cpu: " + cpuWindow[1].since(cpuWindow[0], Math.max(1, acceptedInWindow.get())));
    }
    System.out.printf(
        Locale.ROOT,
        "server heap used: %d MiB at the window's start, %d MiB at its end (no GC forced)%n",
        heap[0] >> 20,
        heap[1] >> 20);
    sockets.forEach(Socket::close);
    Thread.sleep(500);
  }

  private volatile boolean volatileStop;

  /** CPU and heap snapshots at the window's start and end. */
  private Thread sampler(long[] clock, CpuMeter.Snapshot[] cpuWindow, long[] heap) {
    Thread sampler =
        new Thread(
            () -> {
              try {
                Thread.sleep(Math.max(0, (clock[0] - System.nanoTime()) / 1_000_000));
                cpuWindow[0] = cpu.snapshot();
                heap[0] = ServerHeap.used(cpu, false);
                Thread.sleep(Math.max(0, (clock[1] - System.nanoTime()) / 1_000_000));
                cpuWindow[1] = cpu.snapshot();
                heap[1] = ServerHeap.used(cpu, false);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "sampler");
    sampler.start();
    return sampler;
  }

  /** Builds and signs every envelope before the clock starts, on all cores. */
  private List<Prepared> prepare(
      List<Device> senders,
      Map<Device, List<UUID>> conversations,
      Map<UUID, List<Device>> recipients,
      int total)
      throws Exception {
    long began = System.nanoTime();
    boolean unsigned = options.containsKey("unsigned");
    int contentBytes = option("content-bytes", 256);
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    List<Future<Prepared>> futures = new ArrayList<>(total);
    Clock clock = Clock.systemUTC();
    for (int i = 0; i < total; i++) {
      int s = i % senders.size();
      Device sender = senders.get(s);
      List<UUID> ofSender = conversations.get(sender);
      UUID conversation = ofSender.get((i / senders.size()) % ofSender.size());
      List<UUID> to =
          recipients.get(conversation).stream()
              .filter(d -> !d.equals(sender))
              .map(Device::id)
              .sorted(Envelope.RECIPIENT_ORDER)
              .toList();
      futures.add(
          pool.submit(
              () -> {
                UUID messageId = MessageIds.next(clock, FipsModule.random());
                Instant now = Instant.now();
                EnvelopeHeader header =
                    new EnvelopeHeader(
                        1,
                        conversation,
                        messageId,
                        sender.userId(),
                        sender.id(),
                        now,
                        now.plus(Duration.ofHours(1)),
                        false,
                        "text/plain; charset=utf-8",
                        List.of());
                SealedContent content = new SealedContent(random(12), random(contentBytes + 16));
                List<RecipientEntry> entries = new ArrayList<>();
                for (UUID recipient : to) {
                  entries.add(new RecipientEntry(recipient, 0, random(97), random(48)));
                }
                byte[] signature =
                    unsigned
                        ? random(103)
                        : EcdsaP384.sign(
                            sender.identityKey(),
                            Envelope.toBeSigned(header.hash(), content, entries));
                EnvelopeMessage envelope =
                    EnvelopeMessage.of(new Envelope(header, content, entries, signature));
                Map<String, Object> frame = new LinkedHashMap<>();
                frame.put("type", "send");
                frame.put("requestId", messageId.toString());
                frame.put("conversationId", conversation.toString());
                frame.put("envelope", envelope);
                return new Prepared(
                    s, messageId.toString(), JSON.writeValueAsString(frame), to.size());
              }));
    }
    List<Prepared> prepared = new ArrayList<>(total);
    for (Future<Prepared> f : futures) {
      prepared.add(f.get());
    }
    pool.shutdown();
    System.out.printf(
        Locale.ROOT,
        "prepared %d %s envelopes in %.1f s%n",
        total,
        unsigned ? "unsigned (random signature bytes)" : "signed",
        (System.nanoTime() - began) / 1e9);
    return prepared;
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  // ---- idle sockets -------------------------------------------------------------------------

  private void idleSockets(List<Device> devices, int count) throws Exception {
    Events none = new Events() {};
    boolean histogram = options.containsKey("idle-histogram");
    Map<String, long[]> classesBefore = histogram ? ServerHeap.histogram(cpu) : Map.of();
    long before = ServerHeap.used(cpu, true);
    long rssBefore = ServerHeap.rss(cpu);
    List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
    // Idle, as a device's client keeps it: a ping now and then. WildFly closes a connection that
    // reads nothing for its listener's read-timeout (90 s by default) without a close frame (1006),
    // and opening 1,000 sockets on a loaded machine takes longer than that.
    int pingSeconds = option("idle-ping", 30);
    ScheduledFuture<?> pings =
        ticker.scheduleAtFixedRate(
            () -> {
              synchronized (sockets) {
                sockets.forEach(Socket::ping);
              }
            },
            pingSeconds,
            pingSeconds,
            TimeUnit.SECONDS);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    AtomicInteger failed = new AtomicInteger();
    long began = System.nanoTime();
    for (int t = 0; t < 8; t++) {
      done.add(
          pool.submit(
              () -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                  Device device = devices.get(i % devices.size());
                  Socket socket = new Socket(device, none);
                  try {
                    socket
                        .open(
                            proof(
                                device,
                                "POST",
                                "/api/v1/devices/" + device.id() + "/socket-tickets"))
                        .get(60, TimeUnit.SECONDS);
                    sockets.add(socket);
                  } catch (Exception e) {
                    failed.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    double opening = (System.nanoTime() - began) / 1e9;
    Thread.sleep(5000);
    long open = sockets.stream().filter(s -> s.closed == null).count();
    long after = ServerHeap.used(cpu, true);
    long rssAfter = ServerHeap.rss(cpu);
    System.out.printf(
        Locale.ROOT,
        "%n== idle authenticated sockets (load average %s)%n"
            + "opened %d of %d in %.1f s (%d failed); still open after 5 s: %d%n"
            + "server heap after full GC: %d KiB before, %d KiB with the sockets open:"
            + " %.1f KiB per socket; RSS %d MiB -> %d MiB (%.1f KiB per socket)%n",
        loadAverage(),
        sockets.size(),
        count,
        opening,
        failed.get(),
        open,
        before >> 10,
        after >> 10,
        (after - before) / 1024.0 / Math.max(1, open),
        rssBefore >> 20,
        rssAfter >> 20,
        (rssAfter - rssBefore) / 1024.0 / Math.max(1, open));
    if (options.containsKey("idle-heap-dump")) {
      // What holds the sockets' objects, for a heap analyser: taken while they are still open.
      Path dump = Path.of(options.get("idle-heap-dump"));
      Files.deleteIfExists(dump);
      System.out.println("heap dump " + dump + ": " + ServerHeap.heapDump(cpu, dump));
    }
    if (histogram) {
      // Which classes the sockets added: the top of the live-object difference, per socket.
      Map<String, long[]> classesAfter = ServerHeap.histogram(cpu);
      long perSocket = Math.max(1, open);
      classesAfter.entrySet().stream()
          .map(
              e -> {
                long[] was = classesBefore.getOrDefault(e.getKey(), new long[2]);
                return Map.entry(
                    e.getKey(), new long[] {e.getValue()[0] - was[0], e.getValue()[1] - was[1]});
              })
          // Every class worth 8 bytes a socket or more: the tail is where the last kilobyte is.
          .filter(e -> e.getValue()[1] >= 8 * perSocket)
          .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
          .forEach(
              e ->
                  System.out.printf(
                      Locale.ROOT,
                      "  %8.1f bytes/socket %6.2f objects/socket  %s%n",
                      e.getValue()[1] / (double) perSocket,
                      e.getValue()[0] / (double) perSocket,
                      e.getKey()));
    }
    Map<String, Long> closes =
        sockets.stream()
            .filter(s -> s.closed != null)
            .collect(
                java.util.stream.Collectors.groupingBy(
                    s -> s.closed, java.util.stream.Collectors.counting()));
    closes.forEach((why, n) -> System.out.println("closed by the server " + n + "x: " + why));
    pings.cancel(false);
    sockets.forEach(Socket::close);
    Thread.sleep(3000);
    System.out.printf(
        Locale.ROOT,
        "server heap after closing them and a full GC: %d KiB%n",
        ServerHeap.used(cpu, true) >> 10);
  }

  // ---- session set-ups ----------------------------------------------------------------------

  private void setups(List<Device> devices) throws Exception {
    SSLContext reconnectTls = setupClientTls();
    for (String mode : options.getOrDefault("setup-modes", "full").split(",")) {
      switch (mode) {
        case "full" -> setups(devices, false, tls, false);
        case "resumed" -> setups(devices, true, reconnectTls, false);
        case "resumed-tls12" -> setups(devices, true, reconnectTls, true);
        default ->
            throw new IllegalArgumentException(
                "--setup-modes: full, resumed or resumed-tls12, not " + mode);
      }
    }
  }

  /**
   * The TLS client the resumed set-ups reconnect with: {@code --setup-client-tls bc} (default)
   * Bouncy Castle's JSSE over the FIPS module, as the SDK; {@code jdk} the JDK's own SunJSSE, whose
   * handshakes cost the tool less CPU on the cores it shares with the server. Either way the
   * server's side is the same Bouncy Castle FIPS TLS.
   */
  private SSLContext setupClientTls() throws Exception {
    String which = options.getOrDefault("setup-client-tls", "bc");
    return switch (which) {
      case "bc" -> tls;
      case "jdk" -> jdkTls(lab.tlsCertificate());
      default -> throw new IllegalArgumentException("--setup-client-tls: bc or jdk, not " + which);
    };
  }

  /**
   * The JDK WebSocket client resumed set-ups reconnect with, on {@code context} and so with its
   * session cache. Over TLS 1.2 only ({@code tls12}), a new connection resumes the TLS session of
   * the client's last full handshake (an abbreviated handshake, no P-384 key exchange) as long as
   * the server keeps it; otherwise TLS 1.3 with a full handshake every time, since Bouncy Castle's
   * JSSE resumes no TLS 1.3 session on the server.
   */
  private static HttpClient reconnectClient(SSLContext context, boolean tls12) {
    SSLParameters parameters = context.getDefaultSSLParameters();
    if (tls12) {
      parameters.setProtocols(new String[] {"TLSv1.2"});
    }
    return HttpClient.newBuilder()
        .sslContext(context)
        .sslParameters(parameters)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** SunJSSE trusting exactly the lab's TLS certificate. */
  private static SSLContext jdkTls(Path certificatePem) throws Exception {
    KeyStore anchors = KeyStore.getInstance("PKCS12", "SUN");
    anchors.load(null, null);
    try (InputStream in = Files.newInputStream(certificatePem)) {
      int i = 0;
      for (Certificate c :
          CertificateFactory.getInstance("X.509", "SUN").generateCertificates(in)) {
        anchors.setCertificateEntry("lab-" + i++, c);
      }
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
    trust.init(anchors);
    SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /**
   * Clients that each loop over set-ups: with {@code resumed} false, proved ticket request, TLS
   * WebSocket upgrade, hello, ready, abort; with {@code resumed}, the same without the ticket
   * request: hello carries the resumption ticket of the client's previous socket's ready (the first
   * socket, and any after a refused resumption, take the full path, outside the count). With {@code
   * --setup-client bare}, resumed set-ups go over {@link BareSocketSetup} (a blocking TLS socket,
   * closed cleanly) instead of the JDK's WebSocket client.
   *
   * @param reconnectTls the TLS client of the resumed set-ups (and its session cache)
   * @param tls12 whether resumed set-ups offer TLS 1.2 only, so as to resume TLS sessions
   */
  private void setups(List<Device> devices, boolean resumed, SSLContext reconnectTls, boolean tls12)
      throws Exception {
    String client = options.getOrDefault("setup-client", "http");
    BareSocketSetup bare =
        switch (client) {
          case "http" -> null;
          case "bare" ->
              resumed
                  ? new BareSocketSetup(
                      reconnectTls,
                      socketUri,
                      tls12 ? new String[] {"TLSv1.2"} : new String[] {"TLSv1.3", "TLSv1.2"})
                  : null;
          default ->
              throw new IllegalArgumentException("--setup-client: http or bare, not " + client);
        };
    HttpClient reconnect = resumed && bare == null ? reconnectClient(reconnectTls, tls12) : http;
    String tlsNote =
        (resumed && tls12 ? "TLS 1.2, session resumed" : "full handshake")
            + ", "
            + reconnectTls.getProvider().getName()
            + (bare != null ? " over a blocking socket" : " over the JDK's WebSocket client");
    int sessionsBefore = Collections.list(reconnectTls.getClientSessionContext().getIds()).size();
    int clients = option("setup-clients", 16);
    int seconds = option("setup-seconds", 20);
    int warmup = option("warmup", 5);
    int proofs = option("setup-proofs", resumed ? clients * 50 : 30_000);
    // Proofs for the ticket requests are signed before the clock starts (they are good for two
    // minutes): the client's ECDSA signing would otherwise compete with the server.
    long began = System.nanoTime();
    List<String[]> signed = new ArrayList<>(proofs);
    ExecutorService prep = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    List<Future<String[]>> futures = new ArrayList<>();
    for (int i = 0; i < proofs; i++) {
      Device device = devices.get(i % devices.size());
      int index = i % devices.size();
      futures.add(
          prep.submit(
              () ->
                  new String[] {
                    Integer.toString(index),
                    proof(device, "POST", "/api/v1/devices/" + device.id() + "/socket-tickets")
                  }));
    }
    for (Future<String[]> f : futures) {
      signed.add(f.get());
    }
    prep.shutdown();
    System.out.printf(
        Locale.ROOT,
        "%nsigned %d ticket-request proofs in %.1f s%n",
        proofs,
        (System.nanoTime() - began) / 1e9);

    Events none = new Events() {};
    AtomicInteger next = new AtomicInteger();
    Latencies latency = new Latencies();
    AtomicLong inWindow = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong tlsResumed = new AtomicLong();
    AtomicLong bareOpened = new AtomicLong();
    Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    long t0 = System.nanoTime();
    long[] clock = {
      t0 + Duration.ofSeconds(warmup).toNanos(), t0 + Duration.ofSeconds(warmup + seconds).toNanos()
    };
    CpuMeter.Snapshot[] cpuWindow = new CpuMeter.Snapshot[2];
    long[] heap = new long[2];
    Thread sampler = sampler(clock, cpuWindow, heap);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      done.add(
          pool.submit(
              () -> {
                String resumption = null;
                Device resumable = null;
                int i = 0;
                while (System.nanoTime() < clock[1]) {
                  boolean resuming = resumed && resumption != null;
                  String[] p = null;
                  if (!resuming) {
                    if ((i = next.getAndIncrement()) >= signed.size()) {
                      break;
                    }
                    p = signed.get(i);
                    resumable = devices.get(Integer.parseInt(p[0]));
                  }
                  Socket socket = new Socket(resumable, none);
                  long start = System.nanoTime();
                  try {
                    if (resuming && bare != null) {
                      BareSocketSetup.Result opened = bare.open(resumption);
                      resumption = opened.resumption();
                      bareOpened.incrementAndGet();
                      if (opened.tlsResumed()) {
                        tlsResumed.incrementAndGet();
                      }
                    } else {
                      (resuming ? socket.hello(resumption, reconnect) : socket.open(p[1]))
                          .get(30, TimeUnit.SECONDS);
                      resumption = socket.resumption;
                    }
                    long end = System.nanoTime();
                    if (resuming == resumed && start >= clock[0] && end < clock[1]) {
                      latency.record(end - start);
                      inWindow.incrementAndGet();
                    }
                  } catch (Exception e) {
                    if (resuming) {
                      refused.incrementAndGet();
                    }
                    resumption = null;
                    String what = e.getCause() != null ? e.getCause().toString() : e.toString();
                    failures
                        .computeIfAbsent(
                            what.length() > 120 ? what.substring(0, 120) : what,
                            k -> new AtomicInteger())
                        .incrementAndGet();
                  } finally {
                    if (socket.ws != null) {
                      socket.ws.abort();
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    sampler.join();
    if (next.get() >= signed.size()) {
      System.out.println("warning: all signed proofs used before the window ended");
    }
    System.out.printf(
        Locale.ROOT,
        "== socket session set-ups (%s), %d clients, %d s after %d s warm-up (load average %s)%n"
            + "%.0f set-ups/s; latency %s%n",
        resumed
            ? "resumed: TLS upgrade (" + tlsNote + "), hello with the last ready's ticket, ready"
            : "proved ticket request, TLS upgrade (" + tlsNote + "), hello, ready",
        clients,
        seconds,
        warmup,
        loadAverage(),
        inWindow.get() / (double) seconds,
        latency.summary());
    if (resumed) {
      System.out.println("resumptions refused (then a full set-up): " + refused.get());
    }
    if (bare != null) {
      System.out.println(
          "bare client: TLS sessions resumed in "
              + tlsResumed.get()
              + " of "
              + bareOpened.get()
              + " resumed set-ups (warm-up included)");
    }
    System.out.println(
        "TLS sessions the client holds: "
            + sessionsBefore
            + " before, "
            + Collections.list(reconnectTls.getClientSessionContext().getIds()).size()
            + " after (few: the server resumed them)");
    failures.forEach((what, n) -> System.out.println("failed " + n + "x: " + what));
    if (cpuWindow[1] != null) {
      System.out.println("cpu: " + cpuWindow[1].since(cpuWindow[0], Math.max(1, inWindow.get())));
    }
  }

  /**
   * Seals for {@code recipients} devices {@code count} times on this thread with the SDK's sealer
   * (as {@link SealBenchmark}), timing wall-clock and this thread's CPU time: on a shared machine
   * the CPU time is what one core spends, whatever else runs.
   */
  private static void sealing(int recipients, int count) throws Exception {
    SealBenchmark bench = new SealBenchmark();
    bench.recipients = recipients;
    bench.setUp();
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < Math.max(5, count / 5); i++) {
      bench.seal(); // warm-up: the JIT compiles the sealer first
    }
    Latencies wall = new Latencies();
    Latencies cpuTime = new Latencies();
    for (int i = 0; i < count; i++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      bench.seal();
      wall.record(System.nanoTime() - t0);
      cpuTime.record(threads.getCurrentThreadCpuTime() - cpu0);
    }
    System.out.printf(
        Locale.ROOT,
        "%n== sealing one message for %d recipient devices on one thread (load average %s)%n"
            + "wall: %s%ncpu:  %s%n",
        recipients,
        loadAverage(),
        wall.summary(),
        cpuTime.summary());
  }

  /**
   * Sends to one group conversation of {@code users}, each with {@code --group-send-devices}
   * devices (at most the lab's {@code redoubt.devices.max-per-user}), through the SDK's real path:
   * {@code Messenger.send} over REST (conversation read, recipients claimed, every device verified,
   * sealed, posted), one send after the other, then the verification alone ({@code
   * RecipientCheck.verify} on a freshly claimed answer, timed apart from the claim). The first send
   * of a fresh {@code PeerDevices} is reported on its own: it is what a process that sends once
   * (the CLI) pays, the rest what a long-running client pays.
   */
  private void groupSends(List<String> users) throws Exception {
    int perUser = option("group-send-devices", 100);
    int sends = option("group-sends", 10);
    // As `redoubt device enroll` does, devices publish one-time prekeys, enough for every claim of
    // the phase (the first send, the later ones and the claims timed alone), so that each claim
    // takes a one-time prekey as it would in use; 0 has every claim fall back to the signed one.
    int oneTime = option("group-send-one-time", 2 * sends + 2);
    String sender = users.get(0);
    for (String user : users) {
      EnrollmentLoad.revokeActive(http, server, tokens.get(user).authorization());
    }
    Path home = Files.createTempDirectory("group-send");
    char[] passphrase = "group-send bench passphrase".toCharArray();
    DeviceKeyStore keys = DeviceKeyStore.create(home.resolve("keys.bcfks"), passphrase, "sender");
    KeyPair senderKeys = new KeyPair(keys.chain()[0].getPublicKey(), keys.identityKey());
    UUID senderId = enroll(sender, 0, senderKeys).id();
    long started = System.nanoTime();
    ExecutorService enrolling = Executors.newFixedThreadPool(4);
    List<Future<Device>> enrolled = new ArrayList<>();
    for (String user : users) {
      for (int k = user.equals(sender) ? 1 : 0; k < perUser; k++) {
        int n = enrolled.size() + 1;
        enrolled.add(enrolling.submit(() -> enroll(user, n, identityKeys(), oneTime)));
      }
    }
    for (Future<Device> device : enrolled) {
      device.get();
    }
    enrolling.shutdown();
    UUID group = group(users);
    System.out.printf(
        Locale.ROOT,
        "%n== SDK sends to a group of %d users with %d devices each (%d recipient devices);"
            + " enrolled in %.0f s%n",
        users.size(),
        perUser,
        enrolled.size(),
        (System.nanoTime() - started) / 1e9);
    signIn(users);
    AccessToken token = tokens.get(sender);
    RedoubtClient client = new RedoubtClient(server, tls);
    OrganisationPins pins = OrganisationPins.fromInfo(client.info());
    LogReader log = client.transparency(token);
    Clock clock = Clock.systemUTC();
    PeerDevices peers =
        new PeerDevices(
            new DeviceVerifier(pins, log, clock),
            new LogMonitor(log, pins.logKey()),
            pins.logKey());
    RevocationCheck.Verified revocations =
        RevocationCheck.verify(client.revocationList(), pins.deviceCa(), Instant.now(), null);
    DeviceIdentity identity = new DeviceIdentity(senderId, keys.identityKey(), clock);
    Messenger messenger =
        new Messenger(
            client,
            identity,
            PrekeyVault.open(home.resolve("prekeys.vault"), keys, senderId),
            peers,
            revocations,
            MonitorState.start(userIds.get(sender), null),
            SeenMessages.inMemory(),
            clock);
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    Latencies sendWall = new Latencies();
    Latencies sendCpu = new Latencies();
    CpuMeter.Snapshot before = null;
    for (int i = 0; i <= sends; i++) {
      if (i == 1) {
        before = cpu.snapshot();
      }
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      Messenger.Sent sent = messenger.send(token, group, OutgoingMessage.text("group send " + i));
      long wall = System.nanoTime() - t0;
      long thread = threads.getCurrentThreadCpuTime() - cpu0;
      if (i == 0) {
        System.out.printf(
            Locale.ROOT,
            "first send (fresh PeerDevices, %d devices): %.1f ms wall, %.1f ms CPU of the sending"
                + " thread%n",
            sent.devices(),
            wall / 1e6,
            thread / 1e6);
      } else {
        sendWall.record(wall);
        sendCpu.record(thread);
      }
    }
    CpuMeter.Snapshot after = cpu.snapshot();
    Latencies claimWall = new Latencies();
    Latencies verifyWall = new Latencies();
    Latencies verifyCpu = new Latencies();
    for (int i = 0; i < sends; i++) {
      long t0 = System.nanoTime();
      var answer = client.recipients(token, identity, group);
      long t1 = System.nanoTime();
      long cpu0 = threads.getCurrentThreadCpuTime();
      new RecipientCheck(peers, clock)
          .verify(messenger.state(), group, senderId, answer, revocations);
      verifyCpu.record(threads.getCurrentThreadCpuTime() - cpu0);
      verifyWall.record(System.nanoTime() - t1);
      claimWall.record(t1 - t0);
    }
    System.out.printf(
        Locale.ROOT,
        "later sends (%d, load average %s):%n  send wall:   %s%n  send CPU:    %s (sending"
            + " thread)%n  cpu: %s%n",
        sends,
        loadAverage(),
        sendWall.summary(),
        sendCpu.summary(),
        after.since(before, sends));
    System.out.printf(
        Locale.ROOT,
        "recipients alone (%d):%n  claim wall:  %s%n  verify wall: %s%n  verify CPU:  %s (verifying"
            + " thread)%n",
        sends,
        claimWall.summary(),
        verifyWall.summary(),
        verifyCpu.summary());
  }

  static String loadAverage() {
    try {
      String[] parts = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
