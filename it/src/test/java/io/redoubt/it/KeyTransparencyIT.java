package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.client.AccessToken;
import io.redoubt.client.OrganisationPins;
import io.redoubt.client.directory.DeviceVerifier;
import io.redoubt.client.directory.PeerDevices;
import io.redoubt.client.transparency.LogMonitor;
import io.redoubt.client.transparency.LogReader;
import io.redoubt.client.transparency.MonitorState;
import io.redoubt.client.trust.RevocationCheck;
import io.redoubt.protocol.api.DirectoryResponse;
import io.redoubt.protocol.api.DirectoryResponse.DirectoryDevice;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.security.Security;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Key transparency from the client's side, against the real server, HSM and database: the {@code
 * redoubt} command enrolls, lists, revokes and verifies the log; a certificate the HSM CA issued
 * for alice outside enrollment is caught by her {@code kt verify} when it is logged, and refused by
 * bob's client when it is not; a rewritten tree node makes {@code kt verify} fail. Each test makes
 * its own profiles and devices, and puts back whatever it tampered with.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KeyTransparencyIT {

  private static final String PASSPHRASE = "integration test passphrase";

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    EnterpriseArchive ear = Deployments.builtEar();
    WebArchive web = ear.getAsType(WebArchive.class, Deployments.WAR_NAME);
    web.addClasses(TransparencyFixture.class, RogueCertificateFixture.class);
    ear.delete(Deployments.WAR_NAME);
    ear.addAsModule(web);
    return ear;
  }

  @RegisterExtension final CliRun cli = new CliRun();

  @BeforeAll
  static void clientFipsModule() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
  }

  private void login(String profile, String username) {
    assertThat(cli.login(profile, username)).as(cli::err).isZero();
  }

  /** Enrolls the profile's device through the CLI and returns its id. */
  private String enroll(String profile, String name) throws Exception {
    assertThat(
            cli.redoubt(
                PASSPHRASE + "\n",
                "--profile",
                profile,
                "device",
                "enroll",
                "--name",
                name,
                "--passphrase-stdin"))
        .as(cli::err)
        .isZero();
    assertThat(cli.out()).contains("is in the transparency log at index");
    String line = cli.out().lines().findFirst().orElseThrow();
    return line.split(" ")[2];
  }

  private int ktVerify(String profile, String... more) {
    List<String> args = new ArrayList<>(List.of("--profile", profile, "kt", "verify"));
    args.addAll(List.of(more));
    return cli.redoubt(null, args.toArray(String[]::new));
  }

  @Test
  void aliceEnrollsListsRevokesAndHerLogStaysClean() throws Exception {
    login("alice", "alice");
    String deviceId = enroll("alice", "kt laptop");

    assertThat(cli.redoubt(null, "--profile", "alice", "device", "list", "--json"))
        .as(cli::err)
        .isZero();
    JsonNode listed = Http.JSON.readTree(cli.out());
    JsonNode mine = null;
    for (JsonNode device : listed) {
      if (device.path("deviceId").asText().equals(deviceId)) {
        mine = device;
      }
    }
    assertThat(mine).isNotNull();
    assertThat(mine.path("status").asText()).isEqualTo("ACTIVE");
    assertThat(mine.path("thisProfile").asBoolean()).isTrue();

    assertThat(ktVerify("alice")).as(cli::err).isZero();
    assertThat(cli.out()).contains("OK: no certificate for your user");

    assertThat(cli.redoubt(null, "--profile", "alice", "device", "revoke", deviceId))
        .as(cli::err)
        .isZero();
    assertThat(cli.out()).contains("Revoked device " + deviceId);
    headCovering(revokedIndex(deviceId));
    assertThat(ktVerify("alice", "--json")).as(cli::err).isZero();
    JsonNode report = Http.JSON.readTree(cli.out());
    assertThat(report.path("ok").asBoolean()).isTrue();
    assertThat(report.path("revoked").toString()).contains(deviceId);
  }

  @Test
  void aRogueCertificateForAliceInTheLogMakesHerKtVerifyFailNamingIt() throws Exception {
    login("alice", "alice");
    assertThat(ktVerify("alice")).as(cli::err).isZero();

    JsonNode rogue = issueRogue(aliceId(), true);
    headCovering(rogue.path("index").asLong());

    assertThat(ktVerify("alice")).isEqualTo(3);
    assertThat(cli.err())
        .contains("unknown device " + rogue.path("deviceId").asText())
        .contains(rogue.path("certificateSha384").asText());
    // The alarm stays on the next run, however far the scan has moved.
    assertThat(ktVerify("alice")).isEqualTo(3);

    assertThat(ktVerify("alice", "--acknowledge", rogue.path("deviceId").asText()))
        .as(cli::err)
        .isZero();
  }

  @Test
  void bobRejectsACertificateForAliceThatTheLogDoesNotShow() throws Exception {
    login("alice", "alice");
    String real = enroll("alice", "kt phone");
    JsonNode rogue = issueRogue(aliceId(), false);

    AccessToken bob = Lab.signIn("bob");
    LogReader log = Lab.client().transparency(bob);
    OrganisationPins pins = OrganisationPins.fromInfo(Lab.client().info());
    DirectoryResponse answer = Lab.client().directory(bob, "alice");
    // The server (or anyone in its place) presents the rogue certificate as one of alice's
    // devices, pointing at a real leaf of the log with that leaf's real proof.
    DirectoryDevice genuine =
        answer.devices().stream().filter(d -> d.deviceId().equals(real)).findFirst().orElseThrow();
    List<DirectoryDevice> devices = new ArrayList<>(answer.devices());
    devices.add(
        new DirectoryDevice(
            rogue.path("deviceId").asText(),
            rogue.path("certificatePem").asText(),
            genuine.issuedLogIndex(),
            genuine.inclusionProof(),
            null,
            false,
            genuine.issuedLogEntry()));
    devices.add(
        new DirectoryDevice(
            rogue.path("deviceId").asText(),
            rogue.path("certificatePem").asText(),
            answer.treeHead().treeSize() + 5,
            genuine.inclusionProof(),
            null,
            false,
            null));
    DirectoryResponse spliced =
        new DirectoryResponse(answer.userId(), answer.username(), answer.treeHead(), devices);

    PeerDevices peers =
        new PeerDevices(
            new DeviceVerifier(pins, log, Clock.systemUTC()),
            new LogMonitor(log, pins.logKey()),
            pins.logKey());
    PeerDevices.Lookup lookup =
        peers.verify(
            MonitorState.start(Jwt.payload(bob.value()).path("sub").asText(), null),
            "alice",
            spliced,
            revocations(pins));

    assertThat(lookup.accepted()).extracting(d -> d.deviceId()).contains(real);
    assertThat(lookup.accepted())
        .extracting(d -> d.deviceId())
        .doesNotContain(rogue.path("deviceId").asText());
    assertThat(lookup.rejected()).hasSize(2);
    assertThat(lookup.rejected())
        .allSatisfy(
            rejected -> {
              assertThat(rejected.deviceId()).isEqualTo(rogue.path("deviceId").asText());
              assertThat(rejected.reason()).startsWith("not in the transparency log");
            });
    assertThat(lookup.state().devices())
        .extracting(MonitorState.KnownDevice::deviceId)
        .doesNotContain(rogue.path("deviceId").asText());

    // Through the CLI, bob sees alice's genuine device accepted and remembered.
    login("bob", "bob");
    assertThat(cli.redoubt(null, "--profile", "bob", "lookup", "alice", "--json"))
        .as(cli::err)
        .isZero();
    assertThat(cli.out()).contains(real);
    assertThat(ktVerify("bob")).as(cli::err).isZero();
    assertThat(cli.redoubt(null, "--profile", "alice", "device", "revoke", real)).isZero();
  }

  @Test
  void bobRefusesARevokedDeviceOfAliceEvenWhenTheServerStillListsIt() throws Exception {
    login("alice", "alice");
    String revoked = enroll("alice", "kt lost phone");
    AccessToken bob = Lab.signIn("bob");
    DirectoryResponse before = Lab.client().directory(bob, "alice");
    DirectoryDevice listed =
        before.devices().stream()
            .filter(d -> d.deviceId().equals(revoked))
            .findFirst()
            .orElseThrow();
    assertThat(cli.redoubt(null, "--profile", "alice", "device", "revoke", revoked)).isZero();

    // A server that keeps presenting the revoked device, with its genuine certificate, log leaf
    // and proof against the head it was listed under.
    List<DirectoryDevice> devices = new ArrayList<>(before.devices());
    LogReader log = Lab.client().transparency(bob);
    OrganisationPins pins = OrganisationPins.fromInfo(Lab.client().info());
    PeerDevices.Lookup lookup =
        new PeerDevices(
                new DeviceVerifier(pins, log, Clock.systemUTC()),
                new LogMonitor(log, pins.logKey()),
                pins.logKey())
            .verify(
                MonitorState.start(Jwt.payload(bob.value()).path("sub").asText(), null),
                "alice",
                new DirectoryResponse(
                    before.userId(), before.username(), before.treeHead(), devices),
                revocations(pins));

    assertThat(lookup.accepted()).extracting(d -> d.deviceId()).doesNotContain(revoked);
    assertThat(lookup.rejected())
        .filteredOn(r -> r.deviceId().equals(listed.deviceId()))
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("revoked"));
  }

  private static RevocationCheck.Verified revocations(OrganisationPins pins) throws Exception {
    return RevocationCheck.verify(
        Lab.client().revocationList(), pins.deviceCa(), java.time.Instant.now(), null);
  }

  @Test
  void aLeafRewrittenToHideItFromItsUserMakesKtVerifyFail() throws Exception {
    login("carol", "carol");
    assertThat(ktVerify("carol")).as(cli::err).isZero();

    // A rogue certificate for carol, logged; then an operator rewrites its leaf (user id column
    // and leaf bytes, consistently) so that carol's scan would not see it as hers.
    String carolId = Jwt.payload(Lab.signIn("carol").value()).path("sub").asText();
    JsonNode rogue = issueRogue(carolId, true);
    long index = rogue.path("index").asLong();
    headCovering(index);
    JsonNode original =
        post("/it/rogue/rewrite-entry?index=" + index + "&userId=someone-else", null);
    try {
      assertThat(ktVerify("carol")).isEqualTo(4);
      assertThat(cli.err()).contains("transparency check FAILED");
    } finally {
      post("/it/rogue/restore-entry?index=" + index, Http.JSON.writeValueAsString(original));
    }
    // Put back, the entry is carol's again and raises its alarm.
    assertThat(ktVerify("carol")).isEqualTo(3);
    assertThat(cli.err()).contains(rogue.path("deviceId").asText());
  }

  @Test
  void aRewrittenTreeNodeMakesKtVerifyFailUntilItIsPutBack() throws Exception {
    login("carol", "carol");
    assertThat(ktVerify("carol")).as(cli::err).isZero();
    long seen =
        Http.JSON
            .readTree(Files.readString(cli.home().resolve("carol/transparency.json")))
            .path("lastHead")
            .path("treeSize")
            .asLong();

    JsonNode appended = post("/it/transparency/append?count=3", null);
    long last = appended.get(2).asLong();
    long size = headCovering(last).path("treeSize").asLong();

    // Every stored hash of the leaves appended since carol's head: the proofs that the new log
    // extends the old one are computed from them.
    JsonNode original = post("/it/rogue/corrupt-range?start=" + seen + "&end=" + size, null);
    assertThat(original.size()).isPositive();
    try {
      assertThat(ktVerify("carol")).isEqualTo(4);
      assertThat(cli.err()).contains("not consistent").contains("size " + seen);
    } finally {
      post("/it/rogue/restore", Http.JSON.writeValueAsString(original));
    }
    assertThat(ktVerify("carol")).as(cli::err).isZero();
  }

  private static String aliceId() throws Exception {
    return Jwt.payload(Lab.signIn("alice").value()).path("sub").asText();
  }

  private static JsonNode issueRogue(String userId, boolean logged) throws Exception {
    return post("/it/rogue/issue?userId=" + userId + "&logged=" + logged, null);
  }

  private static long revokedIndex(String deviceId) throws Exception {
    AccessToken alice = Lab.signIn("alice");
    return Lab.client().devices(alice).stream()
        .filter(d -> d.deviceId().equals(deviceId))
        .findFirst()
        .orElseThrow()
        .revokedLogIndex();
  }

  private static JsonNode headCovering(long index) throws Exception {
    return Http.JSON.readTree(
        Http.get("/api/v1/transparency/tree-head?covering=" + index, Lab.signIn("alice").value())
            .body());
  }

  private static JsonNode post(String path, String json) throws Exception {
    var request =
        Http.request("/api/v1" + path)
            .header("Content-Type", "application/json")
            .POST(
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    var response = Http.send(request);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Http.JSON.readTree(response.body());
  }
}
