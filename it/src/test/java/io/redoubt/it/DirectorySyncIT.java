package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.client.AccessToken;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.security.Security;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Offboarding and coming back, through the whole path: an LDAP change in the lab's slapd, Keycloak
 * (LDAP federation, read-only group mapper), Redoubt's membership check (every 30 s, the default;
 * see it/pom.xml) and the reconciliation it starts, and the API refusing a still-valid token. Uses
 * erin only, who is put back into redoubt-users after every test.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DirectorySyncIT {

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    return Deployments.builtEar();
  }

  @BeforeAll
  static void clientFipsModule() {
    // The device keys are made as the client makes them, with the FIPS module.
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
  }

  @AfterEach
  void erinIsBackInRedoubtUsers() throws Exception {
    membership(DirContext.ADD_ATTRIBUTE);
    DirectoryAdmin.awaitStatus("erin", "ACTIVE", Duration.ofSeconds(60));
  }

  @Test
  void removedFromTheAccessGroupHerTokenIsRefusedAndHerDevicesRevoked() throws Exception {
    AccessToken erin = Lab.signIn("erin");
    UUID deviceId = EnrolledDevices.enroll(erin, "erin's laptop").deviceId();
    assertThat(Http.get("/api/v1/devices", erin.value()).statusCode()).isEqualTo(200);
    long auditedBefore =
        Long.parseLong(LabDatabase.single("SELECT COALESCE(MAX(id), 0) FROM audit_event"));

    membership(DirContext.REMOVE_ATTRIBUTE);
    long removedAt = System.nanoTime();
    HttpResponse<String> refused = null;
    while (System.nanoTime() - removedAt < Duration.ofSeconds(60).toNanos()) {
      HttpResponse<String> answer = Http.get("/api/v1/devices", erin.value());
      if (answer.statusCode() != 200) {
        refused = answer;
        break;
      }
      Thread.sleep(200);
    }
    double seconds = (System.nanoTime() - removedAt) / 1e9;
    System.out.printf("[figures] group removal in LDAP -> API call refused: %.1f s%n", seconds);

    assertThat(refused)
        .as("erin's token was still accepted 60 s after she left the group")
        .isNotNull();
    JsonNode problem = Http.assertProblem(refused, 403);
    assertThat(problem.path("type").asText()).isEqualTo("urn:redoubt:problem:account-disabled");
    // The token itself is still valid: it is the directory that said no.
    assertThat(erin.expiresAt()).isAfter(java.time.Instant.now());

    JsonNode record = DirectoryAdmin.get("/api/v1/admin/directory/users/erin");
    assertThat(record.path("status").asText()).isEqualTo("DISABLED");
    assertThat(record.path("displayName").asText()).isEqualTo("Erin Evans");
    assertThat(record.path("email").asText()).isEqualTo("erin@redoubt.test");
    JsonNode device = DirectoryAdmin.deviceIn(record, deviceId);
    assertThat(device.path("status").asText()).isEqualTo("REVOKED");
    assertThat(device.path("revokedLeaf").isNumber())
        .as("the revocation is in the transparency log")
        .isTrue();
    // The audit trail has it, written with the change, naming the run that decided.
    List<String> audited =
        LabDatabase.query(
            "SELECT actor, run_id, detail FROM audit_event WHERE event_type = 'USER_OFFBOARDED'"
                + " AND subject_username = 'erin' AND id > "
                + auditedBefore);
    assertThat(audited).hasSize(1);
    assertThat(audited.get(0))
        .matches("run (\\d+) \\((membership-check|timer)\\)\t\\1\tstatus DISABLED");

    // The disabling commits before the run that made it ends (it goes on with the security
    // groups), so the run may still be running here: wait for it to be recorded as done.
    JsonNode runs = null;
    boolean recorded = false;
    for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        !recorded && System.nanoTime() < until; ) {
      runs = DirectoryAdmin.get("/api/v1/admin/directory/sync-runs?limit=50");
      for (JsonNode run : runs) {
        recorded |=
            run.path("outcome").asText().equals("SUCCEEDED") && run.path("disabled").asInt() >= 1;
      }
      if (!recorded) {
        Thread.sleep(500);
      }
    }
    assertThat(recorded)
        .as("within 60 s, a finished run recorded disabling erin: " + runs)
        .isTrue();
  }

  @Test
  void backInTheGroupSheEnrollsANewDeviceAndTheOldOneStaysRevoked() throws Exception {
    AccessToken erin = Lab.signIn("erin");
    UUID old = EnrolledDevices.enroll(erin, "erin's old phone").deviceId();
    membership(DirContext.REMOVE_ATTRIBUTE);
    DirectoryAdmin.awaitStatus("erin", "DISABLED", Duration.ofSeconds(60));

    membership(DirContext.ADD_ATTRIBUTE);
    JsonNode run = DirectoryAdmin.post("/api/v1/admin/directory/sync-runs");
    assertThat(run.path("outcome").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    DirectoryAdmin.awaitStatus("erin", "ACTIVE", Duration.ofSeconds(30));

    AccessToken again = Lab.signIn("erin");
    assertThat(Http.get("/api/v1/devices", again.value()).statusCode()).isEqualTo(200);
    UUID fresh = EnrolledDevices.enroll(again, "erin's new phone").deviceId();
    JsonNode record = DirectoryAdmin.get("/api/v1/admin/directory/users/erin");
    assertThat(DirectoryAdmin.deviceIn(record, old).path("status").asText()).isEqualTo("REVOKED");
    assertThat(DirectoryAdmin.deviceIn(record, fresh).path("status").asText()).isEqualTo("ACTIVE");
  }

  /**
   * Offboarding closes the socket door too: her open socket is closed, a fresh socket ticket is
   * refused over REST, and the resumption ticket her socket got before she left — still within its
   * five minutes and its token — is refused at {@code hello} (1008, no {@code ready}), because
   * every {@code hello} checks the device and the account (messaging.adoc, the socket).
   */
  @Test
  void offboardedHerSocketIsClosedAndNeitherAFreshNorAResumptionTicketOpensAnother()
      throws Exception {
    AccessToken erin = Lab.signIn("erin");
    Messaging.Dev laptop = Messaging.enroll(erin, "erin's socket laptop");
    LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket open = Sockets.connect(laptop, frames, closed);
    String resumption = Sockets.resumptionTicket(Sockets.nextOfType(frames, "ready"));

    membership(DirContext.REMOVE_ATTRIBUTE);
    // The operator's run rather than the 30 s membership check: the socket side is the subject.
    JsonNode run = DirectoryAdmin.post("/api/v1/admin/directory/sync-runs");
    assertThat(run.path("outcome").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    DirectoryAdmin.awaitStatus("erin", "DISABLED", Duration.ofSeconds(30));

    assertThat(closed.get(10, TimeUnit.SECONDS)).as("her open socket").isEqualTo(1008);
    open.abort();
    HttpResponse<String> fresh =
        laptop.call("POST", "/api/v1/devices/" + laptop.id() + "/socket-tickets", null);
    assertThat(Http.assertProblem(fresh, 403).path("type").asText())
        .isEqualTo("urn:redoubt:problem:account-disabled");
    assertThat(erin.expiresAt())
        .as("her token is still valid: the directory said no")
        .isAfter(java.time.Instant.now());

    LinkedBlockingQueue<JsonNode> resumedFrames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> resumedClosed = new CompletableFuture<>();
    WebSocket resumed = Sockets.hello(resumption, resumedFrames, resumedClosed);
    assertThat(resumedClosed.get(10, TimeUnit.SECONDS))
        .as("her resumption ticket from before")
        .isEqualTo(1008);
    assertThat(resumedFrames).noneMatch(f -> "ready".equals(f.path("type").asText()));
    resumed.abort();
  }

  @Test
  void onlyAdministratorsSeeOrRunTheReconciliation() throws Exception {
    String alice = Lab.signIn("alice").value();
    assertThat(Http.get("/api/v1/admin/directory/sync-runs", alice).statusCode()).isEqualTo(403);
    var post =
        Http.request("/api/v1/admin/directory/sync-runs")
            .header("Authorization", "Bearer " + alice)
            .POST(HttpRequest.BodyPublishers.noBody());
    assertThat(Http.send(post).statusCode()).isEqualTo(403);
    JsonNode run = DirectoryAdmin.post("/api/v1/admin/directory/sync-runs?full=true");
    assertThat(run.path("outcome").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(run.path("fullCheck").asBoolean()).isTrue();
    assertThat(run.path("disabled").asInt()).isZero();
    // alice, bob, carol, dave, erin, ann: every access-group member was read.
    assertThat(run.path("seen").asInt()).isGreaterThanOrEqualTo(6);
  }

  /** Adds erin to, or removes her from, redoubt-users in slapd. */
  private static void membership(int operation) throws NamingException {
    if (operation == DirContext.ADD_ATTRIBUTE) {
      LabDirectory.addMembers("redoubt-users", List.of("erin"));
    } else {
      LabDirectory.removeMembers("redoubt-users", List.of("erin"));
    }
  }
}
