package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redoubt.client.AccessToken;
import io.redoubt.client.device.DeviceKeyStore;
import io.redoubt.protocol.api.PublishedPrekey;
import io.redoubt.protocol.prekeys.SignedPrekey;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Security;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Prekey upload, rotation and atomic claims, and the directory lookup that hands out devices with
 * their proofs, through the API against the real server, database and HSM.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PrekeyIT {

  private static final Base64.Decoder B64 = Base64.getUrlDecoder();

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
  void aDeviceKeepsItsStockAndEveryPrekeyIsChecked() throws Exception {
    AccessToken carol = Lab.signIn("carol");
    EnrolledDevices.revokeAllActive(carol);
    DeviceKeyStore keys = Enrollments.newDeviceKeys("carol");
    UUID device = enroll(carol, keys, 3);
    String prekeys = "/api/v1/devices/" + device + "/prekeys";

    JsonNode status = json(send(carol, get(prekeys)), 200);
    assertThat(status.path("oneTimeRemaining").asInt()).isEqualTo(3);
    assertThat(status.path("signedPrekeyId").asLong()).isEqualTo(Enrollments.SIGNED_PREKEY_ID);
    assertThat(status.path("replenishBelow").asInt()).isPositive();

    var hundred = Enrollments.prekeys(keys, device, 10, 100, Enrollments.days(30));
    assertThat(json(send(carol, post(prekeys, upload(hundred))), 200).path("oneTimeRemaining"))
        .hasToString("103");

    // Refused whole, each for a reason the problem names; the stock stays at 103.
    var tooMany = Enrollments.prekeys(keys, device, 200, 101, Enrollments.days(30));
    assertRefused(send(carol, post(prekeys, upload(tooMany))), 400, "at most 100");
    var forged = new ArrayList<>(Enrollments.prekeys(keys, device, 400, 5, Enrollments.days(30)));
    DeviceKeyStore stranger = Enrollments.newDeviceKeys("stranger");
    forged.add(Enrollments.prekeys(stranger, device, 405, 1, Enrollments.days(30)).get(0));
    assertRefused(send(carol, post(prekeys, upload(forged))), 400, "not signed by");
    var reused = Enrollments.prekeys(keys, device, 3, 1, Enrollments.days(30));
    assertRefused(send(carol, post(prekeys, upload(reused))), 400, "already used");
    var tooLong = Enrollments.prekeys(keys, device, 500, 1, Enrollments.days(400));
    assertRefused(send(carol, post(prekeys, upload(tooLong))), 400, "expires too late");
    var expired = Enrollments.prekeys(keys, device, 600, 1, Instant.now().minusSeconds(60));
    assertRefused(send(carol, post(prekeys, upload(expired))), 400, "expired");
    HttpResponse<String> notJson = send(carol, post(prekeys, "{\"oneTimePrekeys\": 7"));
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(json(send(carol, get(prekeys)), 200).path("oneTimeRemaining").asInt())
        .isEqualTo(103);

    // Rotation: a new id and a bounded expiry.
    SignedPrekey rotated = Enrollments.prekeys(keys, device, 700, 1, Enrollments.days(7)).get(0);
    JsonNode afterRotation = json(send(carol, put(prekeys + "/signed", rotated)), 200);
    assertThat(afterRotation.path("signedPrekeyId").asLong()).isEqualTo(700);
    assertThat(afterRotation.path("signedPrekeyExpiresAt").asLong())
        .isEqualTo(rotated.expiresAt().getEpochSecond());
    SignedPrekey tooLate = Enrollments.prekeys(keys, device, 701, 1, Enrollments.days(30)).get(0);
    assertRefused(send(carol, put(prekeys + "/signed", tooLate)), 400, "expires too late");

    // Bob cannot see or stock Carol's device; to him it does not exist.
    AccessToken bob = Lab.signIn("bob");
    assertRefused(send(bob, get(prekeys)), 404, null);
    var bobs = Enrollments.prekeys(keys, device, 800, 1, Enrollments.days(30));
    assertRefused(send(bob, post(prekeys, upload(bobs))), 404, null);
    assertRefused(send(bob, put(prekeys + "/signed", bobs.get(0))), 404, null);

    // Once revoked, the device has no prekeys to anyone, its owner included.
    assertThat(send(carol, Http.request("/api/v1/devices/" + device).DELETE()).statusCode())
        .isEqualTo(200);
    assertRefused(send(carol, get(prekeys)), 404, "revoked");
  }

  @Test
  void fiftySimultaneousClaimsNeverShareAKeyAndThenFallBackToTheSignedPrekey() throws Exception {
    AccessToken dave = Lab.signIn("dave");
    EnrolledDevices.revokeAllActive(dave);
    DeviceKeyStore keys = Enrollments.newDeviceKeys("dave");
    int stock = 40;
    UUID device = enroll(dave, keys, stock);
    AccessToken alice = Lab.signIn("alice");
    AccessToken bob = Lab.signIn("bob");

    int claimers = 50;
    var pool = Executors.newFixedThreadPool(claimers);
    List<JsonNode> claimed = new ArrayList<>();
    try {
      var start = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < claimers; i++) {
        AccessToken claimer = i % 2 == 0 ? alice : bob;
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return send(
                      claimer,
                      Http.request("/api/v1/directory/dave/prekey-bundles")
                          .POST(HttpRequest.BodyPublishers.noBody()));
                }));
      }
      start.countDown();
      for (var answer : answers) {
        JsonNode bundle = json(answer.get(60, TimeUnit.SECONDS), 200);
        assertThat(bundle.path("devices")).hasSize(1);
        claimed.add(bundle.path("devices").get(0));
      }
    } finally {
      pool.shutdownNow();
    }

    Set<Long> oneTimeIds = new HashSet<>();
    int fallbacks = 0;
    for (JsonNode claim : claimed) {
      assertThat(claim.path("deviceId").asText()).isEqualTo(device.toString());
      // Checked against the certified key, as a sender's client does.
      ECPublicKey identity =
          (ECPublicKey)
              EnrolledDevices.certificates(claim.path("certificatePem").asText())
                  .get(0)
                  .getPublicKey();
      SignedPrekey prekey =
          Enrollments.JSON.treeToValue(claim.path("prekey"), PublishedPrekey.class).decode(device);
      prekey.verify(identity, Instant.now()); // each is exactly what the device signed
      if (claim.path("oneTime").asBoolean()) {
        assertThat(oneTimeIds.add(prekey.prekeyId()))
            .as("one-time prekey handed out twice")
            .isTrue();
      } else {
        assertThat(prekey.prekeyId()).isEqualTo(Enrollments.SIGNED_PREKEY_ID);
        fallbacks++;
      }
    }
    assertThat(oneTimeIds).hasSize(stock);
    assertThat(fallbacks).isEqualTo(claimers - stock);
    assertThat(
            json(send(dave, get("/api/v1/devices/" + device + "/prekeys")), 200)
                .path("oneTimeRemaining")
                .asInt())
        .isZero();
  }

  @Test
  void aListingOfSeveralDevicesClaimsAOneTimePrekeyOfEachUntilTheirSignedOnesRemain()
      throws Exception {
    AccessToken carol = Lab.signIn("carol");
    EnrolledDevices.revokeAllActive(carol);
    int stock = 2;
    Set<String> devices = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      devices.add(enroll(carol, Enrollments.newDeviceKeys("carol " + i), stock).toString());
    }
    AccessToken alice = Lab.signIn("alice");
    Set<String> handedOut = new HashSet<>();
    for (int listing = 0; listing <= stock; listing++) {
      JsonNode bundle =
          json(
              send(
                  alice,
                  Http.request("/api/v1/directory/carol/prekey-bundles")
                      .POST(HttpRequest.BodyPublishers.noBody())),
              200);
      Set<String> listed = new HashSet<>();
      for (JsonNode device : bundle.path("devices")) {
        String deviceId = device.path("deviceId").asText();
        listed.add(deviceId);
        SignedPrekey prekey =
            Enrollments.JSON
                .treeToValue(device.path("prekey"), PublishedPrekey.class)
                .decode(UUID.fromString(deviceId));
        if (listing < stock) {
          assertThat(device.path("oneTime").asBoolean())
              .as("listing %d, device %s", listing, deviceId)
              .isTrue();
          assertThat(handedOut.add(deviceId + "/" + prekey.prekeyId()))
              .as("one-time prekey handed out twice")
              .isTrue();
        } else {
          assertThat(device.path("oneTime").asBoolean()).isFalse();
          assertThat(prekey.prekeyId()).isEqualTo(Enrollments.SIGNED_PREKEY_ID);
        }
      }
      assertThat(listed).isEqualTo(devices);
    }
    assertThat(handedOut).hasSize(stock * devices.size());
  }

  @Test
  void anyColleagueLooksUpActiveDevicesWithProofsButNeverRevokedOnes() throws Exception {
    AccessToken carol = Lab.signIn("carol");
    String carolId = Jwt.payload(carol.value()).path("sub").asText();
    EnrolledDevices.revokeAllActive(carol);
    UUID kept = enroll(carol, Enrollments.newDeviceKeys("carol 1"), 1);
    UUID revoked = enroll(carol, Enrollments.newDeviceKeys("carol 2"), 1);
    assertThat(send(carol, Http.request("/api/v1/devices/" + revoked).DELETE()).statusCode())
        .isEqualTo(200);

    JsonNode found = json(send(Lab.signIn("bob"), get("/api/v1/directory/CAROL/devices")), 200);

    assertThat(found.path("userId").asText()).isEqualTo(carolId);
    assertThat(found.path("username").asText()).isEqualTo("carol");
    JsonNode head = found.path("treeHead");
    LogChecks.assertSignedByTheLogKey(head);
    assertThat(found.path("devices")).hasSize(1);
    JsonNode device = found.path("devices").get(0);
    assertThat(device.path("deviceId").asText()).isEqualTo(kept.toString());
    assertThat(device.hasNonNull("prekey")).as("a plain lookup claims nothing").isFalse();
    List<X509Certificate> chain =
        EnrolledDevices.certificates(device.path("certificatePem").asText());
    validatesToTheOrganisationCa(chain);
    long index = device.path("issuedLogIndex").asLong();
    JsonNode entry =
        json(
                send(
                    carol,
                    get("/api/v1/transparency/entries?start=" + index + "&end=" + (index + 1))),
                200)
            .path("entries")
            .get(0);
    assertThat(entry.path("userId").asText()).isEqualTo(carolId);
    assertThat(entry.path("deviceId").asText()).isEqualTo(kept.toString());
    assertThat(B64.decode(entry.path("certificateSha384").asText()))
        .isEqualTo(
            java.security.MessageDigest.getInstance("SHA-384", "BCFIPS")
                .digest(chain.get(0).getEncoded()));
    assertThat(LogChecks.includes(head, entry, device.path("inclusionProof"))).isTrue();

    assertRefused(send(carol, get("/api/v1/directory/nobody-by-this-name/devices")), 404, null);
    Http.assertProblem(Http.get("/api/v1/directory/carol/devices", null), 401);
    assertThat(send(Lab.signIn("mallory"), get("/api/v1/directory/carol/devices")).statusCode())
        .isEqualTo(403);
    assertThat(
            send(
                    Lab.signIn("mallory"),
                    Http.request("/api/v1/directory/carol/prekey-bundles")
                        .POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode())
        .isEqualTo(403);
  }

  private static UUID enroll(AccessToken token, DeviceKeyStore keys, int oneTime) throws Exception {
    UUID id = UUID.randomUUID();
    ObjectNode body = Enrollments.body(id, "device", Enrollments.csr(keys), keys, oneTime);
    HttpResponse<String> answer =
        send(token, post("/api/v1/devices", Enrollments.JSON.writeValueAsString(body)));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    return id;
  }

  private static String upload(List<SignedPrekey> prekeys) throws Exception {
    ObjectNode body = Enrollments.JSON.createObjectNode();
    body.set("oneTimePrekeys", Enrollments.published(prekeys));
    return Enrollments.JSON.writeValueAsString(body);
  }

  private static void validatesToTheOrganisationCa(List<X509Certificate> chain) throws Exception {
    List<X509Certificate> ca =
        EnrolledDevices.certificates(Lab.client().info().caCertificateChainPem());
    var parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.get(ca.size() - 1), null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX", "BCFIPS")
        .validate(
            CertificateFactory.getInstance("X.509", "BCFIPS")
                .generateCertPath(chain.subList(0, chain.size() - 1)),
            parameters);
  }

  private static HttpRequest.Builder get(String path) {
    return Http.request(path).GET();
  }

  private static HttpRequest.Builder post(String path, String json) {
    return Http.request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  private static HttpRequest.Builder put(String path, SignedPrekey prekey) throws Exception {
    return Http.request(path)
        .header("Content-Type", "application/json")
        .PUT(
            HttpRequest.BodyPublishers.ofString(
                Enrollments.JSON.writeValueAsString(PublishedPrekey.of(prekey))));
  }

  private static HttpResponse<String> send(AccessToken token, HttpRequest.Builder request)
      throws Exception {
    return Http.send(request.header("Authorization", token.authorization()));
  }

  private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return Enrollments.JSON.readTree(response.body());
  }

  private static void assertRefused(HttpResponse<String> response, int status, String detail)
      throws Exception {
    JsonNode problem = Http.assertProblem(response, status);
    if (detail != null) {
      assertThat(problem.path("detail").asText()).contains(detail);
    }
  }
}
