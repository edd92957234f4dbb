package io.redoubt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.client.AccessToken;
import io.redoubt.protocol.auth.RequestProof;
import io.redoubt.protocol.crypto.FipsModule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Time to offboard, over many trials, with the server's default intervals: one user with an
 * enrolled device and an open socket loses access, and the clock runs until (i) their still-valid
 * token is refused ({@code 403 account-disabled}), (ii) the server closes the socket, (iii) the
 * device is {@code REVOKED} in the admin API. Then the user gets access back and the clock runs
 * until they are {@code ACTIVE} again and until a fresh sign-in carries the {@code redoubt-user}
 * role and is accepted (Keycloak may keep the user's old group list in its cache for a while).
 *
 * <p>Two ways to lose access: removal from {@code redoubt-users} in slapd (no Keycloak event; the
 * membership check finds it) and disabling the user in Keycloak's admin API (the push).
 */
final class Offboarding {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration GIVE_UP = Duration.ofMinutes(5);
  private static final String ACCESS_GROUP = "redoubt-users";
  private static final String ROLE = "redoubt-user";

  private final DirectoryLoad load;
  private final String user;
  private final HttpClient http;
  private AccessToken admin;

  private final int jitterSeconds;

  Offboarding(DirectoryLoad load, String user, int jitterSeconds) {
    this.load = load;
    this.user = user;
    this.jitterSeconds = jitterSeconds;
    this.http = load.http;
  }

  /** One trial's milliseconds from the change; -1 where it never came within the time allowed. */
  private record Trial(
      long refused, long socketClosed, long revoked, long active, long role, long accepted) {}

  void run(int groupTrials, int pushTrials) throws Exception {
    ensureMember();
    if (groupTrials > 0) {
      trials("removed from " + ACCESS_GROUP + " in slapd", groupTrials, false);
    }
    if (pushTrials > 0) {
      trials("disabled in Keycloak's admin API (push)", pushTrials, true);
    }
  }

  private void trials(String what, int count, boolean push) throws Exception {
    System.out.printf(
        Locale.ROOT,
        "%n== time to offboard: %s, %d trials; %s%n",
        what,
        count,
        DirectoryLoad.loadAverage());
    Latencies refused = new Latencies();
    Latencies closed = new Latencies();
    Latencies revoked = new Latencies();
    Latencies active = new Latencies();
    Latencies role = new Latencies();
    Latencies accepted = new Latencies();
    int missed = 0;
    String keycloakId = push ? keycloakUserId() : null;
    for (int i = 1; i <= count; i++) {
      Trial trial = trial(push, keycloakId);
      System.out.printf(
          Locale.ROOT,
          "trial %2d: refused %s, socket closed %s, REVOKED %s | back: ACTIVE %s, role in a fresh"
              + " token %s, accepted %s; %s%n",
          i,
          ms(trial.refused()),
          ms(trial.socketClosed()),
          ms(trial.revoked()),
          ms(trial.active()),
          ms(trial.role()),
          ms(trial.accepted()),
          DirectoryLoad.loadAverage());
      record(refused, trial.refused());
      record(closed, trial.socketClosed());
      record(revoked, trial.revoked());
      record(active, trial.active());
      record(role, trial.role());
      record(accepted, trial.accepted());
      if (trial.refused() < 0 || trial.socketClosed() < 0 || trial.revoked() < 0) {
        missed++;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "-- %s: %d trials, %d incomplete; %s%n",
        what,
        count,
        missed,
        DirectoryLoad.loadAverage());
    System.out.println("(i)   token refused:   " + spread(refused));
    System.out.println("(ii)  socket closed:   " + spread(closed));
    System.out.println("(iii) device REVOKED:  " + spread(revoked));
    System.out.println("back: ACTIVE:          " + spread(active));
    System.out.println("back: role in token:   " + spread(role));
    System.out.println("back: fresh token OK:  " + spread(accepted));
  }

  private static void record(Latencies into, long millis) {
    if (millis >= 0) {
      into.record(millis * 1_000_000L);
    }
  }

  private static String ms(long millis) {
    return millis < 0 ? "never" : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }

  /** "n=…, min … s, p50 …, p90 …, max …". */
  private static String spread(Latencies l) {
    return String.format(
        Locale.ROOT,
        "n=%d  min %.2f s  p50 %.2f s  p90 %.2f s  max %.2f s",
        l.count(),
        l.percentileMillis(0.0001) / 1000,
        l.percentileMillis(50) / 1000,
        l.percentileMillis(90) / 1000,
        l.maxMillis() / 1000);
  }

  private Trial trial(boolean push, String keycloakId) throws Exception {
    AccessToken token = load.signIn(user);
    Device device = enroll(token);
    CompletableFuture<Long> closedAt = new CompletableFuture<>();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    WebSocket socket = connect(device, token, ready, closedAt);
    ready.get(30, TimeUnit.SECONDS);

    if (jitterSeconds > 0) {
      // Without it each change comes a second or two after the membership check that re-admitted
      // the user in the previous trial: the trials are phase-locked to the 30-s timer and measure
      // the slow end of its window.
      Thread.sleep(
          java.util.concurrent.ThreadLocalRandom.current().nextLong(jitterSeconds * 1000L));
    }
    long start = System.nanoTime();
    if (push) {
      keycloakEnabled(keycloakId, false);
    } else {
      load.removeFromGroup(ACCESS_GROUP, List.of(user));
    }
    long refused = -1;
    long revoked = -1;
    long deadline = start + GIVE_UP.toNanos();
    while (System.nanoTime() < deadline && (refused < 0 || revoked < 0 || !closedAt.isDone())) {
      if (refused < 0 && isRefused(token)) {
        refused = millisSince(start);
      }
      if (revoked < 0 && deviceRevoked(device.id())) {
        revoked = millisSince(start);
      }
      Thread.sleep(POLL.toMillis());
    }
    long socketClosed = closedAt.isDone() ? (closedAt.get() - start) / 1_000_000 : -1;
    socket.abort();

    // Access back.
    long back = System.nanoTime();
    if (push) {
      keycloakEnabled(keycloakId, true);
    } else {
      load.addToGroup(ACCESS_GROUP, List.of(user));
    }
    long active = -1;
    long role = -1;
    long accepted = -1;
    deadline = back + GIVE_UP.toNanos();
    // ACTIVE in Redoubt and the role in a fresh sign-in are watched independently: Keycloak may
    // keep the user's old group list (and so no role) in its cache after the directory changed.
    while (System.nanoTime() < deadline && accepted < 0) {
      if (active < 0 && "ACTIVE".equals(status().path("status").asText())) {
        active = millisSince(back);
      }
      AccessToken fresh = load.signIn(user);
      if (role < 0 && hasRole(fresh)) {
        role = millisSince(back);
      }
      if (active >= 0 && role >= 0 && get("/api/v1/devices", fresh).statusCode() == 200) {
        accepted = millisSince(back);
      }
      Thread.sleep(POLL.toMillis());
    }
    if (accepted < 0) {
      throw new IllegalStateException(
          user + " did not get access back within " + GIVE_UP + ": trials stop here");
    }
    return new Trial(refused, socketClosed, revoked, active, role, accepted);
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** The user is ACTIVE and in the group before the first trial. */
  private void ensureMember() throws Exception {
    try {
      load.addToGroup(ACCESS_GROUP, List.of(user));
    } catch (java.io.IOException alreadyMember) {
      // ldapmodify refuses to add a value that is there: the state we want.
    }
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    while (!"ACTIVE".equals(status().path("status").asText())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(user + " is not ACTIVE in Redoubt");
      }
      Thread.sleep(1000);
    }
  }

  // ---- Redoubt as the user ------------------------------------------------------------------

  private record Device(UUID id, KeyPair identity) {}

  private Device enroll(AccessToken token) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", FipsModule.PROVIDER);
    generator.initialize(new ECGenParameterSpec("secp384r1"), FipsModule.random());
    KeyPair identity = generator.generateKeyPair();
    ECPublicKey prekey = (ECPublicKey) generator.generateKeyPair().getPublic();
    UUID id = UUID.randomUUID();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(load.server.resolve("/api/v1/devices"))
                .header("Authorization", token.authorization())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        DirectoryLoad.JSON.writeValueAsString(
                            EnrollmentLoad.enrollmentBody(
                                id, "offboarding trial", identity, List.of(prekey), 0))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "enrollment: HTTP " + response.statusCode() + " " + response.body());
    }
    return new Device(id, identity);
  }

  private WebSocket connect(
      Device device,
      AccessToken token,
      CompletableFuture<Void> ready,
      CompletableFuture<Long> closedAt)
      throws Exception {
    String path = "/api/v1/devices/" + device.id() + "/socket-tickets";
    String proof =
        RequestProof.sign(
                device.id(),
                "POST",
                path,
                token.value(),
                device.identity().getPrivate(),
                Instant.now(),
                FipsModule.random())
            .headerValue();
    HttpResponse<String> ticket =
        http.send(
            HttpRequest.newBuilder(load.server.resolve(path))
                .header("Authorization", token.authorization())
                .header(RequestProof.HEADER, proof)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (ticket.statusCode() != 200) {
      throw new IllegalStateException(
          "socket ticket: HTTP " + ticket.statusCode() + " " + ticket.body());
    }
    URI ws = URI.create(load.server.toString().replaceFirst("^https", "wss") + "/ws");
    WebSocket socket =
        HttpClient.newBuilder()
            .sslContext(load.tls)
            .build()
            .newWebSocketBuilder()
            .buildAsync(
                ws,
                new WebSocket.Listener() {
                  private final StringBuilder partial = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      if (partial.indexOf("\"ready\"") >= 0) {
                        ready.complete(null);
                      }
                      partial.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(
                      WebSocket webSocket, int statusCode, String reason) {
                    closedAt.complete(System.nanoTime());
                    return null;
                  }

                  @Override
                  public void onError(WebSocket webSocket, Throwable error) {
                    closedAt.complete(System.nanoTime());
                  }
                })
            .get(30, TimeUnit.SECONDS);
    socket
        .sendText(
            "{\"type\":\"hello\",\"ticket\":\""
                + DirectoryLoad.JSON.readTree(ticket.body()).path("ticket").asText()
                + "\"}",
            true)
        .get(30, TimeUnit.SECONDS);
    return socket;
  }

  private HttpResponse<String> get(String path, AccessToken token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(load.server.resolve(path))
            .header("Authorization", token.authorization())
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private boolean isRefused(AccessToken token) throws Exception {
    HttpResponse<String> response = get("/api/v1/devices", token);
    return response.statusCode() == 403 && response.body().contains("account-disabled");
  }

  /** Whether the token's realm roles (or groups claim) hold redoubt-user; read, not verified. */
  private static boolean hasRole(AccessToken token) throws Exception {
    String[] parts = token.value().split("\\.");
    JsonNode claims =
        DirectoryLoad.JSON.readTree(
            new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    for (JsonNode r : claims.path("realm_access").path("roles")) {
      if (ROLE.equals(r.asText())) {
        return true;
      }
    }
    for (JsonNode g : claims.path("groups")) {
      if (ROLE.equals(g.asText())) {
        return true;
      }
    }
    return false;
  }

  // ---- the admin's view ---------------------------------------------------------------------

  private JsonNode status() throws Exception {
    if (admin == null || admin.expiresAt().isBefore(Instant.now().plusSeconds(30))) {
      admin = load.adminToken();
    }
    HttpResponse<String> response = get("/api/v1/admin/directory/users/" + user, admin);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "admin user view: HTTP " + response.statusCode() + " " + response.body());
    }
    return DirectoryLoad.JSON.readTree(response.body());
  }

  private boolean deviceRevoked(UUID deviceId) throws Exception {
    for (JsonNode device : status().path("devices")) {
      if (deviceId.toString().equals(device.path("deviceId").asText())) {
        return "REVOKED".equals(device.path("status").asText());
      }
    }
    return false;
  }

  // ---- Keycloak ----------------------------------------------------------------------------

  private String keycloakUserId() throws Exception {
    JsonNode users =
        DirectoryLoad.JSON.readTree(
            load.keycloakAdmin(
                    "GET", "users?exact=true&username=" + user, null, Duration.ofSeconds(30))
                .body());
    return users.path(0).path("id").asText();
  }

  private void keycloakEnabled(String id, boolean enabled) throws Exception {
    int status =
        load.keycloakAdmin(
                "PUT", "users/" + id, "{\"enabled\":" + enabled + "}", Duration.ofSeconds(30))
            .statusCode();
    if (status != 204) {
      throw new IllegalStateException("Keycloak PUT users/" + id + ": HTTP " + status);
    }
  }
}
