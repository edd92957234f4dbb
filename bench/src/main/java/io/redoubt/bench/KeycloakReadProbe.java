package io.redoubt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What Keycloak's reads cost, one at a time, to choose how Redoubt reads a large LDAP-mapped group
 * ({@code directory-load --probe}): N people in an LDAP group of their own (not an access group, so
 * that Redoubt's membership check does not read it meanwhile), imported by Keycloak's full sync;
 * then, each on cold users (Keycloak's user cache cleared first), member pages of several sizes,
 * member pages read concurrently, {@code /users} listing pages, and {@code ldapsearch} of the group
 * entry, with wall clock and CPU seconds per process.
 */
final class KeycloakReadProbe {

  private static final Duration READ_TIMEOUT = Duration.ofMinutes(10);

  private final DirectoryLoad load;
  private final HttpClient http;
  private final CpuMeter cpu;
  private String token;
  private long tokenAt;

  KeycloakReadProbe(DirectoryLoad load) {
    this.load = load;
    this.http = load.http;
    this.cpu = CpuMeter.ofDirectoryStack(load.lab);
  }

  /**
   * Runs the probes over a group {@code group} whose N members Keycloak has imported: one request
   * from the start of the list at growing sizes (does the cost per member grow with the page?),
   * then ten members ever deeper into the list (what does reaching an offset cost?), two requests
   * at once, {@code /users} pages, one user's groups at a time, and {@code ldapsearch}.
   */
  void run(String group, int n) throws Exception {
    String groupId = groupId(group);
    System.out.printf(Locale.ROOT, "probe: group %s (%s), %d members%n", group, groupId, n);
    String members = "groups/" + groupId + "/members?briefRepresentation=true";

    // One request from the start of the list: does the cost per member grow with the page?
    for (int max : new int[] {10, 100, 500, 1000, 2500}) {
      cold();
      timed(
          "members first=0 max=" + max + " (cold)",
          max,
          () -> get(members + "&first=0&max=" + max));
    }
    timed("members first=0 max=1000 (again, warm)", 1000, () -> get(members + "&first=0&max=1000"));
    // The same ten members deeper in the list: what does reaching offset f cost?
    for (int first : new int[] {1000, 2500, n / 2}) {
      cold();
      timed(
          "members first=" + first + " max=10 (cold)",
          10,
          () -> get(members + "&first=" + first + "&max=10"));
    }
    // Two requests at once: does Keycloak use the second core?
    for (int inFlight : new int[] {1, 2}) {
      cold();
      concurrent(members, 0, 500 * inFlight, 500, inFlight);
    }
    for (int max : new int[] {100, 1000}) {
      for (boolean brief : new boolean[] {true, false}) {
        cold();
        timed(
            "users listing brief=" + brief + " max=" + max + " first=0 (cold)",
            max,
            () -> get("users?briefRepresentation=" + brief + "&first=0&max=" + max));
      }
    }
    timed(
        "users listing brief=true max=1000 first=0 (again, warm)",
        1000,
        () -> get("users?briefRepresentation=true&first=0&max=1000"));
    // A user's groups, one request per user (the per-user path).
    JsonNode some = get(token(), "users?briefRepresentation=true&first=5000&max=100");
    cold();
    timed(
        "groups of 100 users, one request each (cold)",
        some.size(),
        () -> {
          int got = 0;
          for (JsonNode user : some) {
            get(token(), "users/" + user.path("id").asText() + "/groups?briefRepresentation=true");
            got++;
          }
          return got;
        });
    timed("ldapsearch of the group's member attribute", n, () -> ldapsearchMembers(group));
  }

  private interface Read {
    int count() throws Exception;
  }

  private void timed(String what, int expected, Read read) throws Exception {
    token(); // outside the clock
    CpuMeter.Snapshot before = cpu.snapshot();
    long start = System.nanoTime();
    int got = read.count();
    long nanos = System.nanoTime() - start;
    System.out.printf(
        Locale.ROOT,
        "  %s: %d of %d in %.0f ms (%.2f ms/member); %s%n    cpu: %s%n",
        what,
        got,
        expected,
        nanos / 1e6,
        got == 0 ? Double.NaN : nanos / 1e6 / got,
        DirectoryLoad.loadAverage(),
        cpu.snapshot().since(before, Math.max(1, got)));
  }

  /** {@code total} members from {@code from} in pages of {@code max}, {@code inFlight} at once. */
  private void concurrent(String members, int from, int total, int max, int inFlight)
      throws Exception {
    String bearer = token();
    ExecutorService pool = Executors.newFixedThreadPool(inFlight);
    try {
      timed(
          total + " members in pages of " + max + ", " + inFlight + " in flight (cold)",
          total,
          () -> {
            List<Future<Integer>> pages = new ArrayList<>();
            for (int first = from; first < from + total; first += max) {
              int at = first;
              pages.add(
                  pool.submit(() -> get(bearer, members + "&first=" + at + "&max=" + max).size()));
            }
            int got = 0;
            for (Future<Integer> page : pages) {
              got += page.get();
            }
            return got;
          });
    } finally {
      pool.shutdownNow();
    }
  }

  private int get(String path) throws Exception {
    return get(token(), path).size();
  }

  private JsonNode get(String bearer, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(load.keycloak.resolve("/admin/realms/redoubt/" + path))
                .header("Authorization", "Bearer " + bearer)
                .timeout(READ_TIMEOUT)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(path + ": HTTP " + response.statusCode());
    }
    return DirectoryLoad.JSON.readTree(response.body());
  }

  /** The master admin's token, renewed every 30 s (the lab's master tokens live 60 s). */
  private String token() throws Exception {
    if (token == null || System.nanoTime() - tokenAt > 30_000_000_000L) {
      token = load.keycloakAdminToken();
      tokenAt = System.nanoTime();
    }
    return token;
  }

  /** Keycloak's realm "clear user cache": the next reads find no user cached. */
  private void cold() throws Exception {
    HttpResponse<Void> response =
        http.send(
            HttpRequest.newBuilder(load.keycloak.resolve("/admin/realms/redoubt/clear-user-cache"))
                .header("Authorization", "Bearer " + token())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() != 204) {
      throw new IOException("clear-user-cache: HTTP " + response.statusCode());
    }
  }

  private String groupId(String name) throws Exception {
    JsonNode groups = get(token(), "groups?exact=true&briefRepresentation=true&search=" + name);
    for (JsonNode group : groups) {
      if (group.path("name").asText().equals(name)) {
        return group.path("id").asText();
      }
    }
    throw new IllegalStateException("Keycloak has no group " + name);
  }

  /** {@code ldapsearch} of the group entry's member values; returns how many. */
  private int ldapsearchMembers(String group) throws Exception {
    return load.asDirectoryAdmin(
        bind -> {
          List<String> command = new ArrayList<>();
          command.add("ldapsearch");
          command.addAll(List.of("-LLL", "-o", "ldif-wrap=no"));
          command.addAll(bind);
          command.addAll(List.of("-b", load.groupDn(group), "-s", "base", "member"));
          Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
          int members = 0;
          for (String line :
              new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                  .split("\n")) {
            if (line.startsWith("member: ")) {
              members++;
            }
          }
          if (process.waitFor() != 0) {
            throw new IOException("ldapsearch exited " + process.exitValue());
          }
          return members;
        });
  }
}
