package io.redoubt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redoubt.client.AccessToken;
import io.redoubt.client.OidcSignIn;
import io.redoubt.client.TrustAnchors;
import io.redoubt.protocol.api.PublishedPrekey;
import io.redoubt.protocol.crypto.EcdsaP384;
import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.prekeys.SignedPrekey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * End-to-end enrollment load against a running lab, beside the raw signing rate of the lab's
 * SoftHSM2 token measured in the same run (the HSM is the physical limit: every enrollment costs
 * one CA signature there).
 *
 * <ol>
 *   <li>HSM: a throwaway P-384 key is generated in the lab's token as a session object (the lab's
 *       SunPKCS11 configuration with CKA_TOKEN=false, so nothing stays in the token), then {@code
 *       threads} threads sign SHA384withECDSA through SunPKCS11, exactly as the server's {@code
 *       Pkcs11Signer} does, for a fixed time.
 *   <li>Enrollment: every request (identity key, CSR, signed prekey, one-time prekeys) is made
 *       before the clock starts, so the client's own crypto does not compete with the server for
 *       the two cores. Then {@code clients} threads each POST /api/v1/devices over HTTPS in a loop
 *       for a warm-up and then the measured time, each as one demo user, and revoke the device
 *       right after (DELETE, not in the latency): the lab keeps its default of 5 active devices per
 *       user, so at most 5 clients per user.
 * </ol>
 *
 * <p>Run with {@code bench/bin/enrollment-load} (it sets SOFTHSM2_CONF from the lab state).
 */
public final class EnrollmentLoad {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final LabState lab;
  private final Map<String, String> options;
  private final CpuMeter cpu;

  private EnrollmentLoad(LabState lab, Map<String, String> options) {
    this.lab = lab;
    this.options = options;
    this.cpu = CpuMeter.of(lab);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    if (options.containsKey("help") || !options.containsKey("state")) {
      System.out.println(
          """
          Usage: EnrollmentLoad --state LAB_DIR [--clients 8] [--seconds 60] [--warmup 10]
                 [--hsm-seconds 10] [--requests 5000] [--one-time-prekeys 0]
                 [--users alice,bob,carol,dave,ann] [--max-per-user 5] [--skip-hsm]
                 [--no-await-head]
          """);
      return;
    }
    Security.addProvider(new BouncyCastleFipsProvider());
    new EnrollmentLoad(LabState.read(Path.of(options.get("state"))), options).run();
  }

  private int option(String name, int fallback) {
    return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
  }

  private void run() throws Exception {
    int clients = option("clients", 8);
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores (Runtime.availableProcessors), Java %s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    double hsmRate = Double.NaN;
    if (!options.containsKey("skip-hsm")) {
      int seconds = option("hsm-seconds", 10);
      for (int threads : new int[] {1, 2, clients}) {
        double rate = hsmSigningRate(threads, Duration.ofSeconds(seconds));
        System.out.printf(
            Locale.ROOT, "HSM raw: %d thread(s): %.0f P-384 signatures/s%n", threads, rate);
        if (threads == clients) {
          hsmRate = rate;
        }
      }
    }
    double enrollRate = enrollments(clients);
    if (!Double.isNaN(hsmRate)) {
      System.out.printf(
          Locale.ROOT,
          "ratio: enrollments/s / raw HSM signatures/s (%d threads) = %.1f%%%n",
          clients,
          100 * enrollRate / hsmRate);
    }
  }

  /**
   * Takes CPU snapshots at {@code start} and at {@code end} (nanoTime), or when interrupted, into
   * window[0] and [1].
   */
  private Thread sampleCpu(long start, long end, CpuMeter.Snapshot[] window) {
    Thread sampler =
        new Thread(
            () -> {
              try {
                Thread.sleep(Math.max(0, (start - System.nanoTime()) / 1_000_000));
                window[0] = cpu.snapshot();
                Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
              } catch (InterruptedException e) {
                // The work ended before the window did (no prepared requests left): close it now.
              }
              window[1] = cpu.snapshot();
            },
            "cpu-sampler");
    sampler.start();
    return sampler;
  }

  // ---- (a) the raw HSM rate ----------------------------------------------------------------

  private double hsmSigningRate(int threads, Duration duration) throws Exception {
    Provider token = throwawayTokenProvider();
    KeyStore keyStore = KeyStore.getInstance("PKCS11", token);
    keyStore.load(null, lab.secret("HSM_PIN").toCharArray());
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", token);
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    PrivateKey key = generator.generateKeyPair().getPrivate();

    byte[] message = new byte[300]; // about a certificate's TBS
    RANDOM.nextBytes(message);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicLong signatures = new AtomicLong();
    Duration warmup = Duration.ofSeconds(2);
    long start = System.nanoTime() + warmup.toNanos();
    long end = start + duration.toNanos();
    List<Future<?>> done = new ArrayList<>();
    CpuMeter.Snapshot[] window = new CpuMeter.Snapshot[2];
    Thread sampler = sampleCpu(start, end, window);
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                Signature signature = Signature.getInstance(EcdsaP384.ALGORITHM, token);
                long now;
                while ((now = System.nanoTime()) < end) {
                  signature.initSign(key);
                  signature.update(message);
                  signature.sign();
                  if (now >= start) {
                    signatures.incrementAndGet();
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
    System.out.println("  cpu: " + window[1].since(window[0], signatures.get()));
    return signatures.get() / (duration.toNanos() / 1e9);
  }

  /**
   * SunPKCS11 on the lab's token with the lab's configuration, except that generated keys are
   * session objects: the throwaway key is gone when the session ends.
   */
  private Provider throwawayTokenProvider() throws Exception {
    String config = Files.readString(Path.of(lab.env("PKCS11_CONFIG")));
    String throwaway =
        config
            .replaceFirst("(?m)^name\\s*=.*$", "name = redoubt-bench")
            .replace("CKA_TOKEN = true", "CKA_TOKEN = false");
    Path file = Files.createTempFile("redoubt-bench-pkcs11", ".cfg");
    file.toFile().deleteOnExit();
    Files.writeString(file, throwaway);
    return Security.getProvider("SunPKCS11").configure(file.toString());
  }

  // ---- (b) enrollments ---------------------------------------------------------------------

  private record Prepared(String deviceId, String body) {}

  private double enrollments(int clients) throws Exception {
    List<String> users =
        List.of(options.getOrDefault("users", "alice,bob,carol,dave,ann").split(","));
    int maxPerUser = option("max-per-user", 5);
    int perUser = (clients + users.size() - 1) / users.size();
    if (perUser > maxPerUser) {
      throw new IllegalArgumentException(
          clients
              + " clients over "
              + users.size()
              + " users exceed "
              + maxPerUser
              + " active devices per user");
    }
    SSLContext tls = TrustAnchors.fromPem(lab.tlsCertificate());
    URI server = URI.create(lab.env("REDOUBT_URL"));
    URI issuer = URI.create(lab.env("KEYCLOAK_URL") + "/realms/redoubt");
    char[] password = lab.env("DEMO_PASSWORD").toCharArray();
    Map<String, String> tokens = new HashMap<>();
    for (String user : users) {
      AccessToken token =
          new OidcSignIn(issuer, "redoubt-cli", tls).withPassword(user, password.clone()).access();
      tokens.put(user, token.authorization()); // withPassword zeroes the array it is given
    }
    HttpClient http = LabState.httpClient(tls);
    for (String user : users) {
      revokeActive(http, server, tokens.get(user));
    }

    int seconds = option("seconds", 60);
    int warmupSeconds = option("warmup", 10);
    List<Prepared> prepared = prepare(option("requests", 5000), option("one-time-prekeys", 0));

    AtomicInteger next = new AtomicInteger();
    Latencies enroll = new Latencies();
    Latencies withHead = new Latencies();
    boolean awaitHead = !options.containsKey("no-await-head");
    Latencies revoke = new Latencies();
    AtomicLong measuredEnrollments = new AtomicLong();
    Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    long start = System.nanoTime() + Duration.ofSeconds(warmupSeconds).toNanos();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    long startMillis = System.currentTimeMillis() + Duration.ofSeconds(warmupSeconds).toMillis();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> done = new ArrayList<>();
    CpuMeter.Snapshot[] cpuWindow = new CpuMeter.Snapshot[2];
    Thread sampler = sampleCpu(start, end, cpuWindow);
    for (int c = 0; c < clients; c++) {
      String authorization = tokens.get(users.get(c % users.size()));
      done.add(
          pool.submit(
              () -> {
                int i;
                while (System.nanoTime() < end && (i = next.getAndIncrement()) < prepared.size()) {
                  Prepared request = prepared.get(i);
                  long sent = System.nanoTime();
                  HttpResponse<String> response =
                      http.send(
                          HttpRequest.newBuilder(server.resolve("/api/v1/devices"))
                              .header("Authorization", authorization)
                              .header("Content-Type", "application/json")
                              .timeout(Duration.ofSeconds(30))
                              .POST(HttpRequest.BodyPublishers.ofString(request.body()))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  long answered = System.nanoTime();
                  if (response.statusCode() != 201) {
                    failures
                        .computeIfAbsent(
                            response.statusCode() + " " + abbreviate(response.body()),
                            k -> new AtomicInteger())
                        .incrementAndGet();
                    continue;
                  }
                  JsonNode created = JSON.readTree(response.body());
                  if (created.has("treeHead") && created.get("treeHead").isNull()) {
                    // The server waited in vain (MAX_WAIT) for a head covering the leaf.
                    failures
                        .computeIfAbsent(
                            "201 without a covering tree head", k -> new AtomicInteger())
                        .incrementAndGet();
                  } else if (!created.has("treeHead") && awaitHead) {
                    // A server that answers before the log's signed head covers the new leaf:
                    // ask for that head as the client must before trusting its certificate.
                    long leaf = created.path("issuedLogIndex").asLong();
                    HttpResponse<String> head =
                        http.send(
                            HttpRequest.newBuilder(
                                    server.resolve(
                                        "/api/v1/transparency/tree-head?covering=" + leaf))
                                .header("Authorization", authorization)
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (head.statusCode() != 200) {
                      failures
                          .computeIfAbsent(
                              "tree-head " + head.statusCode() + " " + abbreviate(head.body()),
                              k -> new AtomicInteger())
                          .incrementAndGet();
                    }
                  }
                  long covered = System.nanoTime();
                  boolean measured = sent >= start && covered <= end;
                  if (measured) {
                    enroll.record(answered - sent);
                    withHead.record(covered - sent);
                    measuredEnrollments.incrementAndGet();
                  }
                  long revokeSent = System.nanoTime();
                  HttpResponse<String> revoked =
                      http.send(
                          HttpRequest.newBuilder(
                                  server.resolve("/api/v1/devices/" + request.deviceId()))
                              .header("Authorization", authorization)
                              .timeout(Duration.ofSeconds(30))
                              .DELETE()
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (revoked.statusCode() != 200) {
                    failures
                        .computeIfAbsent(
                            "revoke " + revoked.statusCode() + " " + abbreviate(revoked.body()),
                            k -> new AtomicInteger())
                        .incrementAndGet();
                  } else if (measured) {
                    revoke.record(System.nanoTime() - revokeSent);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    long finished = Math.min(System.nanoTime(), end);
    sampler.interrupt();
    sampler.join();
    double window = (finished - start) / 1e9;
    if (next.get() >= prepared.size()) {
      System.out.printf(
          Locale.ROOT,
          "warning: all %d prepared requests used; measured window cut to %.1f s%n",
          prepared.size(),
          window);
    }
    double rate = measuredEnrollments.get() / window;
    System.out.printf(
        Locale.ROOT,
        "enrollments: %d clients, %.1f s measured after %d s warm-up: %.1f enrollments/s%n",
        clients,
        window,
        warmupSeconds,
        rate);
    System.out.println("enrollment latency (POST only): " + enroll.summary());
    System.out.println(
        "enrollment latency until a signed head covers the new leaf: " + withHead.summary());
    System.out.println("revocation latency: " + revoke.summary());
    long heads = headsSignedBetween(startMillis, startMillis + (long) (window * 1000));
    System.out.printf(
        Locale.ROOT,
        "tree heads signed in the window: %d (%.1f/s, one per %.1f enrollments)%n",
        heads,
        heads / window,
        heads == 0 ? Double.NaN : measuredEnrollments.get() / (double) heads);
    if (cpuWindow[0] != null) {
      System.out.println("cpu: " + cpuWindow[1].since(cpuWindow[0], measuredEnrollments.get()));
    }
    failures.forEach((what, count) -> System.out.println("failed " + count + "x: " + what));
    return rate;
  }

  /** Counts the heads the server stored between two wall-clock instants (its own clock). */
  private long headsSignedBetween(long fromMillis, long toMillis) throws SQLException {
    try (Connection db =
            DriverManager.getConnection(
                lab.env("DB_URL"), "redoubt_app", lab.secret("DB_APP_PASSWORD"));
        PreparedStatement count =
            db.prepareStatement(
                "select count(*) from transparency_tree_head"
                    + " where signed_at_millis >= ? and signed_at_millis < ?")) {
      count.setLong(1, fromMillis);
      count.setLong(2, toMillis);
      try (ResultSet row = count.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static String abbreviate(String body) {
    return body.length() > 160 ? body.substring(0, 160) + "…" : body;
  }

  /** Revokes the user's active devices left from earlier runs, so the limit is free. */
  static void revokeActive(HttpClient http, URI server, String authorization) throws Exception {
    HttpResponse<String> list =
        http.send(
            HttpRequest.newBuilder(server.resolve("/api/v1/devices"))
                .header("Authorization", authorization)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (list.statusCode() != 200) {
      throw new IllegalStateException("GET /api/v1/devices: " + list.statusCode() + list.body());
    }
    for (JsonNode device : JSON.readTree(list.body())) {
      if ("ACTIVE".equals(device.path("status").asText())) {
        http.send(
            HttpRequest.newBuilder(
                    server.resolve("/api/v1/devices/" + device.path("deviceId").asText()))
                .header("Authorization", authorization)
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.discarding());
      }
    }
  }

  /** Makes every request body before the clock starts, on all cores. */
  private static List<Prepared> prepare(int count, int oneTimePrekeys) throws Exception {
    long began = System.nanoTime();
    int threads = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Prepared>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = i;
      futures.add(pool.submit(() -> prepareOne(n, oneTimePrekeys)));
    }
    List<Prepared> prepared = new ArrayList<>(count);
    for (Future<Prepared> f : futures) {
      prepared.add(f.get());
    }
    pool.shutdown();
    System.out.printf(
        Locale.ROOT,
        "prepared %d enrollment requests (%d one-time prekeys each) in %.1f s%n",
        count,
        oneTimePrekeys,
        (System.nanoTime() - began) / 1e9);
    return prepared;
  }

  /**
   * ECDH prekey public keys shared by all prepared requests: the server's cost per prekey (decode,
   * point check, signature check under the device's identity key, store) does not depend on whether
   * another device published the same key, and making 100 fresh key pairs per request would make
   * preparing a few thousand requests take many minutes on two cores. Each request still signs
   * every prekey with its own identity key over its own device id.
   */
  private static volatile List<ECPublicKey> prekeyPool = List.of();

  private static synchronized List<ECPublicKey> prekeyPool(int size, KeyPairGenerator generator) {
    if (prekeyPool.size() < size) {
      List<ECPublicKey> keys = new ArrayList<>(prekeyPool);
      while (keys.size() < size) {
        keys.add((ECPublicKey) generator.generateKeyPair().getPublic());
      }
      prekeyPool = List.copyOf(keys);
    }
    return prekeyPool;
  }

  private static Prepared prepareOne(int n, int oneTimePrekeys) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", FipsModule.PROVIDER);
    generator.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
    List<ECPublicKey> prekeys = prekeyPool(oneTimePrekeys + 1, generator);
    KeyPair identity = generator.generateKeyPair();
    UUID deviceId = UUID.randomUUID();
    ObjectNode body = enrollmentBody(deviceId, "bench " + n, identity, prekeys, oneTimePrekeys);
    return new Prepared(
        deviceId.toString(), new String(JSON.writeValueAsBytes(body), StandardCharsets.UTF_8));
  }

  /**
   * The {@code POST /api/v1/devices} body for {@code identity}: a CSR, the signed prekey {@code
   * prekeys[0]} and {@code oneTimePrekeys} one-time prekeys from {@code prekeys[1..]}, each signed
   * over {@code deviceId}. Shared with {@link RelayLoad}, which keeps the identity key to send.
   */
  static ObjectNode enrollmentBody(
      UUID deviceId, String name, KeyPair identity, List<ECPublicKey> prekeys, int oneTimePrekeys)
      throws Exception {
    byte[] csr =
        new JcaPKCS10CertificationRequestBuilder(
                new X500Name("CN=" + deviceId), identity.getPublic())
            .build(
                new JcaContentSignerBuilder(EcdsaP384.ALGORITHM)
                    .setProvider(FipsModule.PROVIDER)
                    .build(identity.getPrivate()))
            .getEncoded();
    Instant expires = Instant.now().plus(Duration.ofDays(7));
    ObjectNode body = JSON.createObjectNode();
    body.put("deviceId", deviceId.toString());
    body.put("name", name);
    body.put("certificationRequest", B64.encodeToString(csr));
    body.set(
        "signedPrekey",
        JSON.valueToTree(
            PublishedPrekey.of(
                SignedPrekey.sign(deviceId, 0, prekeys.get(0), expires, identity.getPrivate()))));
    ArrayNode oneTime = body.putArray("oneTimePrekeys");
    for (int k = 1; k < prekeys.size(); k++) {
      oneTime.add(
          JSON.valueToTree(
              PublishedPrekey.of(
                  SignedPrekey.sign(deviceId, k, prekeys.get(k), expires, identity.getPrivate()))));
    }
    return body;
  }
}
