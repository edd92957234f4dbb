package io.redoubt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redoubt.client.AccessToken;
import io.redoubt.client.OidcSignIn;
import io.redoubt.client.TrustAnchors;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Security;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;

/**
 * Issue 5's directory benchmark against a running lab: N generated people from slapd through
 * Keycloak into Redoubt, with Keycloak's own full sync and Redoubt's reconciliation timed in the
 * same run, the heap of WildFly (and Keycloak) sampled every second, and CPU per process; then,
 * with {@link Offboarding}, the time-to-offboard distribution.
 *
 * <p>Two batches of N people, so that both paths a deployment sees are measured:
 *
 * <ol>
 *   <li><b>warm</b>: batch 1 is added to slapd outside every group; Keycloak's full sync of the
 *       federation imports it (timed, with its counts); then the people join {@code redoubt-users}
 *       and a full reconciliation is asked for at once: Redoubt's own share on top of an import
 *       Keycloak already did.
 *   <li><b>cold</b>: batch 2 is added to slapd already in {@code redoubt-users}, Keycloak has not
 *       seen them, and the reconciliation is asked for at once: Keycloak imports each member while
 *       Redoubt pages through the group (the read-only group mapper reads members from LDAP when
 *       asked). This is the whole path as production sees it when people are put in the group: the
 *       membership check (every 30 s) starts the same run; Keycloak's periodic syncs are not needed
 *       before it.
 * </ol>
 *
 * The bench lab is throwaway ({@code installer/lab --state bench/target/lab down --purge}); {@code
 * --cleanup} deletes the generated people from slapd at the end all the same.
 */
public final class DirectoryLoad {

  static final ObjectMapper JSON = new ObjectMapper();

  final LabState lab;
  final Map<String, String> options;
  final SSLContext tls;
  final HttpClient http;
  final URI server;
  final URI keycloak;
  final String peopleDn;
  final String groupsDn;

  private DirectoryLoad(LabState lab, Map<String, String> options) throws Exception {
    this.lab = lab;
    this.options = options;
    this.tls = TrustAnchors.fromPem(lab.tlsCertificate());
    this.http = LabState.httpClient(tls);
    this.server = URI.create(lab.env("REDOUBT_URL"));
    this.keycloak = URI.create(lab.env("KEYCLOAK_URL"));
    this.peopleDn = "ou=people," + lab.env("LDAP_BASE_DN");
    this.groupsDn = "ou=groups," + lab.env("LDAP_BASE_DN");
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    if (options.containsKey("help") || !options.containsKey("state")) {
      System.out.println(
          """
          Usage: DirectoryLoad --state LAB_DIR [--users 10000] [--cold-users N] [--no-cold] [--cleanup]
                 [--offboard-trials 0] [--push-trials 0] [--user erin]
            --users N          people per batch (0: skip the sync benchmark)
            --no-cold          only the warm batch (Keycloak's sync, then Redoubt's run)
            --imported-batch P --keycloak-sync-seconds S
                               the warm batch is people P-000000.. that an earlier invocation
                               added and Keycloak imported in S seconds (from its log): only
                               Redoubt's part is run
            --offboard-trials  time-to-offboard trials by removal from redoubt-users
            --push-trials      trials by disabling the user in Keycloak (push path)
            --jitter S         wait 0..S s (random) before each change, so that changes do not
                               follow the membership check in step (0: none)
            --probe            instead of the sync benchmark: N people in a group of their own,
                               Keycloak's full sync, then what each kind of Keycloak read costs
                               (KeycloakReadProbe)
            --probe-group G    with --probe: only the reads, over group G of an earlier --probe
          """);
      return;
    }
    Security.addProvider(new BouncyCastleFipsProvider());
    DirectoryLoad load = new DirectoryLoad(LabState.read(Path.of(options.get("state"))), options);
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, Java %s; %s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        loadAverage());
    int users = Integer.parseInt(options.getOrDefault("users", "10000"));
    if (users > 0 && options.containsKey("probe")) {
      load.probe(users);
    } else if (users > 0) {
      load.syncBenchmark(users);
    }
    int trials = Integer.parseInt(options.getOrDefault("offboard-trials", "0"));
    int pushTrials = Integer.parseInt(options.getOrDefault("push-trials", "0"));
    if (trials > 0 || pushTrials > 0) {
      new Offboarding(
              load,
              options.getOrDefault("user", "erin"),
              Integer.parseInt(options.getOrDefault("jitter", "0")))
          .run(trials, pushTrials);
    }
  }

  /** The 1-, 5- and 15-minute load averages, for the record next to every figure. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return "load average " + parts[0] + ", " + parts[1] + ", " + parts[2];
    } catch (IOException e) {
      return "load average unknown";
    }
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  // ---- the sync benchmark ------------------------------------------------------------------

  private void syncBenchmark(int n) throws Exception {
    String tag = "b" + UUID.randomUUID().toString().substring(0, 6);
    CpuMeter cpu = CpuMeter.ofDirectoryStack(lab);
    List<HeapSampler> heaps = new ArrayList<>();
    long wildfly = CpuMeter.javaDescendant(pid("wildfly/wildfly.pid")).orElseThrow();
    heaps.add(HeapSampler.start("WildFly", wildfly));
    CpuMeter.javaDescendant(pid("keycloak/keycloak.pid"))
        .ifPresent(
            kc -> {
              try {
                heaps.add(HeapSampler.start("Keycloak", kc));
              } catch (IOException e) {
                System.out.println("no Keycloak heap samples: " + e.getMessage());
              }
            });
    String period = changedSyncPeriod("-1");
    System.out.println(
        "Keycloak's periodic changed-users sync off for the measurement (was " + period + " s)");
    try {
      long baselineFrom = System.nanoTime();
      Thread.sleep(10_000); // ten samples of the idle heap
      System.out.printf(Locale.ROOT, "directory before: %s; %s%n", counts(), loadAverage());
      List<String> deleted = new ArrayList<>();

      // Warm: in LDAP, imported by Keycloak's own full sync, then into the group and Redoubt.
      List<String> warm;
      double keycloakSeconds;
      long t;
      if (options.containsKey("imported-batch")) {
        // People an earlier invocation added and Keycloak imported, its sync timed from Keycloak's
        // log: at 100,000 Keycloak's sync outlives its own 5-min request transaction and the
        // trigger answers 400 although the import completes.
        warm = uids(options.get("imported-batch"), n);
        keycloakSeconds = Double.parseDouble(options.get("keycloak-sync-seconds"));
        System.out.printf(
            Locale.ROOT,
            "batch %s: already in LDAP and imported; Keycloak's full sync took %.1f s (given)%n",
            options.get("imported-batch"),
            keycloakSeconds);
      } else {
        warm = uids(tag + "w", n);
        t = System.nanoTime();
        addPeople(warm);
        System.out.printf(
            Locale.ROOT, "ldapadd of %d people: %.1f s%n", n, seconds(System.nanoTime() - t));
        Phase kc = new Phase("Keycloak full sync (batch 1, warm)", n, cpu, heaps, baselineFrom);
        JsonNode result = keycloakFullSync();
        kc.end();
        System.out.println("  Keycloak's result: " + result);
        keycloakSeconds = kc.seconds();
      }
      deleted.addAll(warm);

      t = System.nanoTime();
      addToGroup("redoubt-users", warm);
      System.out.printf(
          Locale.ROOT,
          "ldapmodify: %d people into redoubt-users: %.1f s%n",
          n,
          seconds(System.nanoTime() - t));
      Phase run = new Phase("Redoubt full run (batch 1, warm)", n, cpu, heaps, baselineFrom);
      JsonNode warmRun = reconcile();
      run.end();
      report(warmRun, n, keycloakSeconds, run.seconds());

      if (!options.containsKey("no-cold")) {
        int coldUsers = Integer.parseInt(options.getOrDefault("cold-users", Integer.toString(n)));
        List<String> cold = uids(tag + "c", coldUsers);
        t = System.nanoTime();
        addPeople(cold);
        addToGroup("redoubt-users", cold);
        deleted.addAll(cold);
        System.out.printf(
            Locale.ROOT,
            "ldapadd + ldapmodify of %d more people, in the group: %.1f s%n",
            coldUsers,
            seconds(System.nanoTime() - t));
        Phase coldRun =
            new Phase(
                "Redoubt full run (batch 2, cold: people Keycloak has not imported)",
                coldUsers,
                cpu,
                heaps,
                baselineFrom);
        JsonNode coldResult = reconcile();
        coldRun.end();
        report(coldResult, coldUsers, keycloakSeconds * coldUsers / n, coldRun.seconds());

        // Keycloak's full sync again, now over both batches, for its scaling and for the ratio
        // against the same directory size.
        Phase kc2 =
            new Phase("Keycloak full sync (both batches)", n + coldUsers, cpu, heaps, baselineFrom);
        System.out.println("  Keycloak's result: " + keycloakFullSync());
        kc2.end();

        Phase steady =
            new Phase("Redoubt full run (no change)", n + coldUsers, cpu, heaps, baselineFrom);
        JsonNode unchanged = reconcile();
        steady.end();
        System.out.println("  run: " + brief(unchanged));
      }
      System.out.printf(Locale.ROOT, "directory after: %s; %s%n", counts(), loadAverage());
      // What the 30-s membership check costs at this size: nothing else happens in the lab now.
      Phase idle =
          new Phase(
              "idle 90 s (three membership checks, each an LDAP read of the access groups)",
              deleted.size(),
              cpu,
              heaps,
              baselineFrom);
      Thread.sleep(90_000);
      idle.end();
      if (options.containsKey("cleanup")) {
        t = System.nanoTime();
        deletePeople(deleted);
        System.out.printf(
            Locale.ROOT,
            "ldapdelete of %d people: %.1f s (the next run holds their offboarding: more than"
                + " max(10, 5 %%) of the active users)%n",
            deleted.size(),
            seconds(System.nanoTime() - t));
      }
    } finally {
      heaps.forEach(HeapSampler::close);
      changedSyncPeriod(period);
      System.out.println("Keycloak's periodic changed-users sync back to " + period + " s");
    }
  }

  /**
   * N people in a new LDAP group outside the access groups, Keycloak's full sync (timed) and its
   * group sync, then {@link KeycloakReadProbe}.
   */
  private void probe(int n) throws Exception {
    if (options.containsKey("probe-group")) {
      // A group an earlier --probe made (its people imported): the reads only.
      new KeycloakReadProbe(this).run(options.get("probe-group"), n);
      return;
    }
    String tag = "p" + UUID.randomUUID().toString().substring(0, 6);
    String period = changedSyncPeriod("-1");
    try {
      List<String> people = uids(tag, n);
      long t = System.nanoTime();
      addPeople(people);
      StringBuilder group =
          new StringBuilder("dn: ")
              .append(groupDn(tag))
              .append("\nobjectClass: groupOfNames\ncn: ")
              .append(tag)
              .append('\n');
      people.forEach(uid -> group.append("member: ").append(userDn(uid)).append('\n'));
      ldapTool("ldapadd", group.append('\n').toString());
      System.out.printf(
          Locale.ROOT,
          "ldapadd of %d people and group %s: %.1f s%n",
          n,
          tag,
          seconds(System.nanoTime() - t));
      CpuMeter cpu = CpuMeter.ofDirectoryStack(lab);
      Phase kc = new Phase("Keycloak full sync", n, cpu, List.of(), System.nanoTime());
      System.out.println("  Keycloak's result: " + keycloakFullSync());
      kc.end();
      System.out.println("  group sync: " + keycloakGroupSync());
      new KeycloakReadProbe(this).run(tag, n);
    } finally {
      changedSyncPeriod(period);
    }
  }

  /** The group mapper's "sync LDAP groups to Keycloak", so that a new LDAP group exists there. */
  private JsonNode keycloakGroupSync() throws Exception {
    String federation = federation().path("id").asText();
    JsonNode mappers =
        JSON.readTree(
            keycloakAdmin(
                    "GET",
                    "components?parent="
                        + federation
                        + "&type=org.keycloak.storage.ldap.mappers.LDAPStorageMapper",
                    null,
                    Duration.ofSeconds(30))
                .body());
    for (JsonNode mapper : mappers) {
      if ("group-ldap-mapper".equals(mapper.path("providerId").asText())) {
        HttpResponse<String> response =
            keycloakAdmin(
                "POST",
                "user-storage/"
                    + federation
                    + "/mappers/"
                    + mapper.path("id").asText()
                    + "/sync?direction=fedToKeycloak",
                null,
                Duration.ofMinutes(10));
        if (response.statusCode() != 200) {
          throw new IOException(
              "group sync: HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
      }
    }
    throw new IllegalStateException("no group-ldap-mapper in the lab's LDAP federation");
  }

  private void report(JsonNode run, int n, double keycloakSeconds, double runSeconds) {
    System.out.println("  run: " + brief(run));
    int created = run.path("created").asInt();
    System.out.printf(
        Locale.ROOT,
        "  created %d of %d expected: %s; run (server clock) %.1f s; ratio to Keycloak's full sync"
            + " of as many users: %.2f%n",
        created,
        n,
        created == n ? "OK" : "MISMATCH",
        serverSeconds(run),
        runSeconds / keycloakSeconds);
  }

  static String brief(JsonNode run) {
    return String.format(
        Locale.ROOT,
        "run %s %s by %s, started %s, finished %s, seen %d, created %d, updated %d, enabled %d,"
            + " disabled %d, removed %d%s",
        run.path("runId").asText(),
        run.path("outcome").asText(),
        run.path("triggeredBy").asText(),
        run.path("startedAt").asText(),
        run.path("finishedAt").asText(),
        run.path("seen").asInt(),
        run.path("created").asInt(),
        run.path("updated").asInt(),
        run.path("enabled").asInt(),
        run.path("disabled").asInt(),
        run.path("removed").asInt(),
        run.path("detail").isTextual() ? "; " + run.path("detail").asText() : "");
  }

  static double serverSeconds(JsonNode run) {
    try {
      return Duration.between(
                  java.time.Instant.parse(run.path("startedAt").asText()),
                  java.time.Instant.parse(run.path("finishedAt").asText()))
              .toMillis()
          / 1000.0;
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** A timed phase: wall clock, CPU per process, heap over it. */
  private static final class Phase {
    private final String name;
    private final int users;
    private final CpuMeter.Snapshot cpuBefore;
    private final CpuMeter cpu;
    private final List<HeapSampler> heaps;
    private final long baselineFrom;
    private final long baselineTo;
    private final long start = System.nanoTime();
    private long end;

    Phase(String name, int users, CpuMeter cpu, List<HeapSampler> heaps, long baselineFrom) {
      this.name = name;
      this.users = users;
      this.cpu = cpu;
      this.heaps = heaps;
      this.baselineFrom = baselineFrom;
      this.baselineTo = baselineFrom + 10_000_000_000L;
      this.cpuBefore = cpu.snapshot();
      System.out.printf(Locale.ROOT, "%s: started; %s%n", name, loadAverage());
    }

    void end() {
      end = System.nanoTime();
      System.out.printf(
          Locale.ROOT,
          "%s: %.1f s (wall clock); %s%n",
          name,
          DirectoryLoad.seconds(end - start),
          loadAverage());
      // Per operation = per user of the batch.
      System.out.println("  cpu: " + cpu.snapshot().since(cpuBefore, users));
      for (HeapSampler heap : heaps) {
        // Baseline: the ten idle seconds before the first phase.
        System.out.println(
            "  " + heap.summary(baselineFrom, baselineTo, start, end + 1_500_000_000L));
      }
    }

    double seconds() {
      return DirectoryLoad.seconds(end - start);
    }
  }

  // ---- slapd -------------------------------------------------------------------------------

  private static List<String> uids(String prefix, int n) {
    List<String> uids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      uids.add(String.format(Locale.ROOT, "%s-%06d", prefix, i));
    }
    return uids;
  }

  String userDn(String uid) {
    return "uid=" + uid + "," + peopleDn;
  }

  String groupDn(String cn) {
    return "cn=" + cn + "," + groupsDn;
  }

  /** People without a password (nobody signs in as them): inetOrgPerson, as the demo users. */
  private void addPeople(List<String> uids) throws Exception {
    StringBuilder ldif = new StringBuilder();
    for (String uid : uids) {
      ldif.append("dn: ")
          .append(userDn(uid))
          .append("\nobjectClass: inetOrgPerson\nuid: ")
          .append(uid)
          .append("\ncn: Bench ")
          .append(uid)
          .append("\ngivenName: Bench\nsn: ")
          .append(uid)
          .append("\nmail: ")
          .append(uid)
          .append("@bench.redoubt.test\n\n");
    }
    ldapTool("ldapadd", ldif.toString());
  }

  /** Group membership in modifies of 1,000 values (slapd's memberof overlay updates each user). */
  void addToGroup(String group, List<String> uids) throws Exception {
    changeGroup("add", group, uids);
  }

  void removeFromGroup(String group, List<String> uids) throws Exception {
    changeGroup("delete", group, uids);
  }

  private void changeGroup(String how, String group, List<String> uids) throws Exception {
    StringBuilder ldif = new StringBuilder();
    for (int from = 0; from < uids.size(); from += 1000) {
      ldif.append("dn: ")
          .append(groupDn(group))
          .append("\nchangetype: modify\n")
          .append(how)
          .append(": member\n");
      for (String uid : uids.subList(from, Math.min(uids.size(), from + 1000))) {
        ldif.append("member: ").append(userDn(uid)).append('\n');
      }
      ldif.append("-\n\n");
    }
    ldapTool("ldapmodify", ldif.toString());
  }

  private void deletePeople(List<String> uids) throws Exception {
    StringBuilder ldif = new StringBuilder();
    for (String uid : uids) {
      ldif.append("dn: ").append(userDn(uid)).append("\nchangetype: delete\n\n");
    }
    ldapTool("ldapmodify", ldif.toString());
  }

  /** Work with an OpenLDAP client tool bound as the directory's administrator. */
  @FunctionalInterface
  interface AsDirectoryAdmin<T> {
    /**
     * @param bind the tool's bind arguments ({@code -x -H URL -D DN -y FILE})
     */
    T run(List<String> bind) throws Exception;
  }

  /**
   * Runs {@code work} with the administrator's bind arguments the way the lab's slapd.sh does: the
   * password in a mode-0600 file ({@code -y}), never on a command line, deleted afterwards.
   */
  <T> T asDirectoryAdmin(AsDirectoryAdmin<T> work) throws Exception {
    Path dir = Files.createDirectories(lab.dir.resolve("bench"));
    Path password =
        Files.createTempFile(
            dir,
            "bind",
            ".pw",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(password, lab.secret("LDAP_ADMIN_PASSWORD")); // no trailing newline
      return work.run(
          List.of(
              "-x",
              "-H",
              lab.env("LDAP_URL"),
              "-D",
              lab.env("LDAP_BIND_DN"),
              "-y",
              password.toString()));
    } finally {
      Files.deleteIfExists(password);
    }
  }

  /** Runs an OpenLDAP client tool on an LDIF file as the directory's administrator. */
  void ldapTool(String tool, String ldif) throws Exception {
    Path dir = Files.createDirectories(lab.dir.resolve("bench"));
    Path file = Files.createTempFile(dir, tool, ".ldif");
    try {
      Files.writeString(file, ldif);
      Path log = dir.resolve(tool + ".log");
      int exit =
          asDirectoryAdmin(
              bind -> {
                List<String> command = new ArrayList<>();
                command.add(tool);
                command.addAll(bind);
                command.addAll(List.of("-f", file.toString()));
                return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start()
                    .waitFor();
              });
      if (exit != 0) {
        throw new IOException(tool + " exited " + exit + "; see " + log);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  // ---- Keycloak ----------------------------------------------------------------------------

  /** A fresh token of the master realm's admin (the lab's): the sync may outlive one. */
  String keycloakAdminToken() throws Exception {
    String form =
        "grant_type=password&client_id=admin-cli&username=admin&password="
            + URLEncoder.encode(lab.secret("KEYCLOAK_ADMIN_PASSWORD"), StandardCharsets.UTF_8);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(keycloak.resolve("/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("Keycloak admin sign-in: HTTP " + response.statusCode());
    }
    return JSON.readTree(response.body()).path("access_token").asText();
  }

  /** {@code /admin/realms/redoubt/PATH} as the master admin. */
  HttpResponse<String> keycloakAdmin(String method, String path, String json, Duration timeout)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(keycloak.resolve("/admin/realms/redoubt/" + path))
            .header("Authorization", "Bearer " + keycloakAdminToken())
            .timeout(timeout)
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The lab's LDAP federation component (its representation as Keycloak gives it). */
  private com.fasterxml.jackson.databind.node.ObjectNode federation() throws Exception {
    JsonNode components =
        JSON.readTree(
            keycloakAdmin(
                    "GET",
                    "components?type=org.keycloak.storage.UserStorageProvider",
                    null,
                    Duration.ofSeconds(30))
                .body());
    for (JsonNode component : components) {
      if ("ldap".equals(component.path("providerId").asText())) {
        return (com.fasterxml.jackson.databind.node.ObjectNode) component;
      }
    }
    throw new IllegalStateException("no LDAP federation in the lab's realm");
  }

  /**
   * Sets Keycloak's periodic changed-users sync period (seconds, -1 off) and returns the old one.
   * With it on, the periodic sync picks the generated people up while they are being added and the
   * triggered full sync answers "ignored: already in progress" (seen in the first run): Keycloak's
   * own full sync could not be timed. The bind credential comes back masked and Keycloak keeps the
   * stored one when the mask is sent back.
   */
  private String changedSyncPeriod(String seconds) throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode component = federation();
    com.fasterxml.jackson.databind.node.ObjectNode config =
        (com.fasterxml.jackson.databind.node.ObjectNode) component.path("config");
    String old = config.path("changedSyncPeriod").path(0).asText("-1");
    config.putArray("changedSyncPeriod").add(seconds);
    HttpResponse<String> response =
        keycloakAdmin(
            "PUT",
            "components/" + component.path("id").asText(),
            JSON.writeValueAsString(component),
            Duration.ofSeconds(60));
    if (response.statusCode() != 204) {
      throw new IOException(
          "changedSyncPeriod: HTTP " + response.statusCode() + " " + response.body());
    }
    return old;
  }

  /**
   * Triggers the LDAP federation's full sync and waits for Keycloak's answer (its counts). Refuses
   * an answer that says the sync was ignored (another one in progress): that would time nothing.
   *
   * <p>At 100,000 people Keycloak's sync outlives the request's own transaction (Keycloak's default
   * transaction timeout, 5 min): the request answers 400 "UnknownError" while the import goes on
   * and completes. Then the sync is timed until Keycloak's log says it finished.
   */
  private JsonNode keycloakFullSync() throws Exception {
    String id = federation().path("id").asText();
    Path log = lab.dir.resolve("keycloak/keycloak.log");
    long logFrom = Files.size(log);
    HttpResponse<String> response =
        keycloakAdmin(
            "POST",
            "user-storage/" + id + "/sync?action=triggerFullSync",
            null,
            Duration.ofHours(2));
    if (response.statusCode() != 200) {
      System.out.println(
          "  Keycloak answered HTTP "
              + response.statusCode()
              + " "
              + response.body()
              + "; timing the sync by its log");
      String finished = awaitLogLine(log, logFrom, "Sync all users finished", Duration.ofHours(1));
      return JSON.createObjectNode()
          .put("answer", response.statusCode())
          .put("log", finished.substring(finished.indexOf("Sync all users finished")));
    }
    JsonNode result = JSON.readTree(response.body());
    if (result.path("ignored").asBoolean(false)) {
      throw new IllegalStateException("Keycloak ignored the full sync: " + result);
    }
    return result;
  }

  /** Waits (polling each second) for a line containing {@code text} past {@code from} in a log. */
  private static String awaitLogLine(Path log, long from, String text, Duration patience)
      throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      byte[] all = Files.readAllBytes(log);
      String added =
          new String(
              all,
              (int) Math.min(from, all.length),
              (int) Math.max(0, all.length - from),
              StandardCharsets.UTF_8);
      for (String line : added.split("\n")) {
        if (line.contains(text)) {
          return line;
        }
      }
      Thread.sleep(1000);
    }
    throw new IOException("no '" + text + "' in " + log + " after " + patience);
  }

  // ---- Redoubt -----------------------------------------------------------------------------

  /** A token of the lab's demo administrator (ann, role redoubt-admin). */
  AccessToken adminToken() throws Exception {
    return signIn("ann");
  }

  AccessToken signIn(String username) throws Exception {
    return new OidcSignIn(keycloak.resolve("/realms/redoubt"), "redoubt-cli", tls)
        .withPassword(username, lab.env("DEMO_PASSWORD").toCharArray())
        .access();
  }

  /**
   * A full reconciliation, asked for through the admin API, timed until it answers (the run is
   * finished then). If the membership check started one first (409), waits for that one instead.
   */
  private JsonNode reconcile() throws Exception {
    AccessToken admin = adminToken();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(server.resolve("/api/v1/admin/directory/sync-runs?full=true"))
                .header("Authorization", admin.authorization())
                .timeout(Duration.ofHours(2))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 200) {
      return JSON.readTree(response.body());
    }
    if (response.statusCode() != 409) {
      throw new IOException("sync run: HTTP " + response.statusCode() + " " + response.body());
    }
    System.out.println("  409: a run was already going (the membership check's); waiting for it");
    while (true) {
      Thread.sleep(500);
      JsonNode newest =
          JSON.readTree(
                  http.send(
                          HttpRequest.newBuilder(
                                  server.resolve("/api/v1/admin/directory/sync-runs?limit=1"))
                              .header("Authorization", adminToken().authorization())
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body())
              .path(0);
      if (!"RUNNING".equals(newest.path("outcome").asText())) {
        return newest;
      }
    }
  }

  /** Users in Redoubt's directory by status, from the lab's database. */
  String counts() throws SQLException {
    try (Connection db =
            DriverManager.getConnection(
                lab.env("DB_URL"), "redoubt_app", lab.secret("DB_APP_PASSWORD"));
        PreparedStatement query =
            db.prepareStatement(
                "select status, count(*) from directory_user group by status order by status");
        ResultSet rows = query.executeQuery()) {
      StringBuilder text = new StringBuilder("Redoubt users");
      while (rows.next()) {
        text.append(' ').append(rows.getString(1)).append('=').append(rows.getLong(2));
      }
      return text.toString();
    }
  }

  private long pid(String file) throws IOException {
    return Long.parseLong(Files.readString(lab.dir.resolve(file)).trim());
  }

  static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }
}
