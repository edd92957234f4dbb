package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.client.AccessToken;
import java.net.http.HttpResponse;
import java.security.Security;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reconciliation's safety against a failing or surprising directory, and deletion from LDAP,
 * through the real path: slapd, Keycloak's LDAP federation, Redoubt's reconciliation with the
 * product's intervals (timer every 5 min, full check every 15 min, membership check every 30 s; see
 * it/pom.xml). What the timer would do later, a test asks for through the admin API, as an operator
 * would. Each test makes its own people in slapd and removes them at the end; slapd is running
 * again after every test.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DirectorySafetyIT {

  static final String DEMO_MEMBERS = "alice,bob,carol,dave,ann";

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    return Deployments.builtEar();
  }

  @BeforeAll
  static void clientFipsModule() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
  }

  @Test
  void withLdapUnreachableNobodyLosesAccessAndTheRunsFailWithTheirError() throws Exception {
    // Nobody can sign in while slapd is down (Keycloak checks passwords against LDAP): take the
    // tokens first.
    String ann = Lab.signIn("ann").value();
    AccessToken alice = Lab.signIn("alice");
    DirectoryAdmin.runNow(true);
    long before = newestRunId(ann);

    LabDirectory.stopSlapd();
    try {
      JsonNode run = DirectoryAdmin.post("/api/v1/admin/directory/sync-runs?full=true", ann);
      System.out.printf("[figures] run with slapd stopped: %s%n", run);
      assertThat(run.path("outcome").asText()).isEqualTo("FAILED");
      assertThat(run.path("detail").asText()).as("the run records its error").isNotBlank();
      assertThat(run.path("disabled").asInt() + run.path("removed").asInt()).isZero();

      JsonNode partial = DirectoryAdmin.post("/api/v1/admin/directory/sync-runs", ann);
      assertThat(partial.path("outcome").asText()).as(partial.toString()).isEqualTo("FAILED");

      // The membership check (every 30 s) meets the same outage: past one of its ticks, every run
      // since slapd stopped failed, whoever started it, and nobody lost access.
      Thread.sleep(32_000);
      JsonNode runs = DirectoryAdmin.get("/api/v1/admin/directory/sync-runs?limit=50", ann);
      int failed = 0;
      for (JsonNode r : runs) {
        if (r.path("runId").asLong() > before && !r.path("outcome").asText().equals("RUNNING")) {
          assertThat(r.path("outcome").asText()).as(r.toString()).isEqualTo("FAILED");
          assertThat(r.path("disabled").asInt() + r.path("removed").asInt()).isZero();
          failed++;
        }
      }
      assertThat(failed).as("runs since slapd stopped: " + runs).isGreaterThanOrEqualTo(2);

      for (String user : DEMO_MEMBERS.split(",")) {
        JsonNode record = DirectoryAdmin.get("/api/v1/admin/directory/users/" + user, ann);
        assertThat(record.path("status").asText()).as(user).isEqualTo("ACTIVE");
      }
      assertThat(Http.get("/api/v1/devices", alice.value()).statusCode())
          .as("alice's token is still accepted")
          .isEqualTo(200);
    } finally {
      LabDirectory.startSlapd();
    }
    // Back to normal before the next test: a run reads the directory completely again.
    awaitSucceededRun(Duration.ofSeconds(60));
  }

  @Test
  void aChangeThatWouldDisableHalfTheUsersIsHeldUntilAnAdministratorConfirms() throws Exception {
    List<String> people = LabDirectory.newPeople("h", 14);
    List<String> leaving = people.subList(0, 12);
    try {
      LabDirectory.addMembers("redoubt-users", people);
      for (String uid : people) {
        DirectoryAdmin.awaitStatus(uid, "ACTIVE", Duration.ofSeconds(60));
      }

      // 12 of about 20 active users (the demo users and these 14) leave at once.
      LabDirectory.removeMembers("redoubt-users", leaving);
      JsonNode held = awaitRun("HELD", Duration.ofSeconds(60));
      System.out.printf("[figures] held run: %s%n", held.path("detail").asText());
      assertThat(held.path("detail").asText())
          .contains("would take access from 12 of")
          .contains("held until an administrator confirms");
      assertThat(held.path("disabled").asInt()).isZero();
      Set<String> heldNames = new HashSet<>();
      for (JsonNode change : held.path("held")) {
        assertThat(change.path("newStatus").asText()).isEqualTo("DISABLED");
        heldNames.add(change.path("username").asText());
      }
      assertThat(heldNames).containsExactlyInAnyOrderElementsOf(leaving);
      for (String uid : people) {
        assertThat(DirectoryAdmin.user(uid).path("status").asText())
            .as(uid + " keeps access while the run is held")
            .isEqualTo("ACTIVE");
      }

      long auditedBefore =
          Long.parseLong(LabDatabase.single("SELECT COALESCE(MAX(id), 0) FROM audit_event"));
      JsonNode confirmed = confirmNewestHeld();
      assertThat(confirmed.path("outcome").asText()).isEqualTo("CONFIRMED");
      // Each offboarding is audited with the administrator who confirmed the held run.
      assertThat(
              LabDatabase.query(
                  "SELECT subject_username, actor FROM audit_event WHERE id > "
                      + auditedBefore
                      + " AND event_type = 'USER_OFFBOARDED' ORDER BY subject_username"))
          .containsExactlyElementsOf(
              leaving.stream()
                  .sorted()
                  .map(
                      uid ->
                          uid
                              + "\tadmin:ann confirming run "
                              + confirmed.path("runId").asLong()
                              + " ("
                              + confirmed.path("triggeredBy").asText()
                              + ")")
                  .toList());
      assertThat(confirmed.path("disabled").asInt()).isEqualTo(12);
      assertThat(confirmed.path("confirmedBy").asText()).isEqualTo("ann");
      for (String uid : leaving) {
        assertThat(DirectoryAdmin.user(uid).path("status").asText()).isEqualTo("DISABLED");
      }
      for (String uid : people.subList(12, 14)) {
        assertThat(DirectoryAdmin.user(uid).path("status").asText()).isEqualTo("ACTIVE");
      }
      // The held runs the membership check started meanwhile can no longer be confirmed; the
      // next run finds nothing left to hold.
      JsonNode next = DirectoryAdmin.runNow(false);
      assertThat(next.path("outcome").asText()).as(next.toString()).isEqualTo("SUCCEEDED");
      for (JsonNode run : DirectoryAdmin.get("/api/v1/admin/directory/sync-runs?limit=50")) {
        assertThat(run.path("outcome").asText()).isNotEqualTo("HELD");
      }
    } finally {
      DirectoryAdmin.removePeople(people);
    }
  }

  @Test
  void deletedFromLdapTheUserIsRemovedAndTheirDevicesRevoked() throws Exception {
    String uid = LabDirectory.newPeople("d", 1).get(0);
    try {
      LabDirectory.addMembers("redoubt-users", List.of(uid));
      DirectoryAdmin.awaitStatus(uid, "ACTIVE", Duration.ofSeconds(60));
      AccessToken token = Lab.signIn(uid);
      UUID device = EnrolledDevices.enroll(token, uid + "'s laptop").deviceId();

      LabDirectory.deletePerson(uid);
      long deletedAt = System.nanoTime();
      HttpResponse<String> refused = null;
      while (refused == null && System.nanoTime() - deletedAt < Duration.ofSeconds(60).toNanos()) {
        HttpResponse<String> answer = Http.get("/api/v1/devices", token.value());
        if (answer.statusCode() != 200) {
          refused = answer;
        } else {
          Thread.sleep(200);
        }
      }
      double refusedAfter = (System.nanoTime() - deletedAt) / 1e9;
      System.out.printf(
          "[figures] LDAP entry deleted -> API call refused: %.1f s (membership check every 30"
              + " s)%n",
          refusedAfter);
      assertThat(refused).as("the deleted user's token is refused within 60 s").isNotNull();

      // REMOVED is the full check's to record (at least every 15 min): ask for one every 5 s, as
      // `redoubt admin sync run --full` would, until Keycloak no longer answers with its copy.
      JsonNode record = DirectoryAdmin.user(uid);
      long checksFrom = System.nanoTime();
      while (!record.path("status").asText().equals("REMOVED")
          && System.nanoTime() - checksFrom < Duration.ofSeconds(90).toNanos()) {
        DirectoryAdmin.runNow(true);
        record = DirectoryAdmin.user(uid);
        if (!record.path("status").asText().equals("REMOVED")) {
          Thread.sleep(5_000);
        }
      }
      System.out.printf(
          "[figures] LDAP entry deleted -> REMOVED: %.1f s (full checks asked for every 5 s from"
              + " %.1f s on)%n",
          (System.nanoTime() - deletedAt) / 1e9, refusedAfter);
      assertThat(record.path("status").asText()).as(record.toString()).isEqualTo("REMOVED");
      assertThat(DirectoryAdmin.deviceIn(record, device).path("status").asText())
          .isEqualTo("REVOKED");
      assertThat(Http.assertProblem(refused, 403).path("type").asText())
          .isEqualTo("urn:redoubt:problem:account-disabled");
    } finally {
      DirectoryAdmin.removePeople(List.of(uid));
    }
  }

  private static long newestRunId(String ann) throws Exception {
    JsonNode runs = DirectoryAdmin.get("/api/v1/admin/directory/sync-runs?limit=1", ann);
    return runs.isEmpty() ? 0 : runs.get(0).path("runId").asLong();
  }

  /** Asks for a full check until one succeeds (slapd and Keycloak's LDAP pool are back). */
  private static void awaitSucceededRun(Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    JsonNode run = DirectoryAdmin.runNow(true);
    while (!run.path("outcome").asText().equals("SUCCEEDED") && System.nanoTime() < deadline) {
      Thread.sleep(2_000);
      run = DirectoryAdmin.runNow(true);
    }
    assertThat(run.path("outcome").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
  }

  /** Waits for a run that starts from now on and ends with {@code outcome}. */
  private static JsonNode awaitRun(String outcome, Duration within) throws Exception {
    long after = newestRunId(Lab.signIn("ann").value());
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode run : DirectoryAdmin.get("/api/v1/admin/directory/sync-runs?limit=5")) {
        if (run.path("runId").asLong() > after && run.path("outcome").asText().equals(outcome)) {
          return run;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no " + outcome + " run within " + within);
  }

  /**
   * Confirms the newest held run. The timer keeps running while the test looks, and each of its
   * runs supersedes the held one before it: ask again when the run confirmed was just superseded.
   */
  private static JsonNode confirmNewestHeld() throws Exception {
    String ann = Lab.signIn("ann").value();
    for (int attempt = 0; attempt < 20; attempt++) {
      for (JsonNode run : DirectoryAdmin.get("/api/v1/admin/directory/sync-runs?limit=5", ann)) {
        if (run.path("outcome").asText().equals("HELD")) {
          HttpResponse<String> answer =
              DirectoryAdmin.postOnce(
                  "/api/v1/admin/directory/sync-runs/" + run.path("runId").asLong() + "/confirm",
                  ann);
          if (answer.statusCode() == 200) {
            return Http.JSON.readTree(answer.body());
          }
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
          break;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no held run could be confirmed");
  }
}
