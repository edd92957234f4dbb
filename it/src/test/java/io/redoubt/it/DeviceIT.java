package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redoubt.client.AccessToken;
import io.redoubt.client.device.DeviceKeyStore;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Security;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Device enrollment, listing and revocation through the API, with real keys and the real CA. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeviceIT {

  private static final ObjectMapper JSON = Enrollments.JSON;

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    return Deployments.builtEar();
  }

  @BeforeAll
  static void clientFipsModule() {
    // Last in the list: the device key store needs BCFIPS; other tests keep the JDK's defaults.
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
  }

  @Test
  void aliceEnrollsAListsAndRevokesADeviceAndTheLogShowsBoth() throws Exception {
    AccessToken alice = Lab.signIn("alice");
    String aliceId = Jwt.payload(alice.value()).path("sub").asText();
    DeviceKeyStore keys = newDeviceKeys("alice laptop");
    UUID deviceId = UUID.randomUUID();

    HttpResponse<String> enrolled =
        post(alice, enrollment(deviceId, "work laptop", csr(keys), keys));

    assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(201);
    assertThat(enrolled.headers().firstValue("Location").orElseThrow()).endsWith("/" + deviceId);
    JsonNode answer = JSON.readTree(enrolled.body());
    JsonNode device = answer.path("device");
    List<X509Certificate> chain = certificates(device.path("certificatePem").asText());
    X509Certificate certificate = chain.get(0);

    validatesToTheOrganisationCa(certificate);
    assertThat(certificate.getSubjectAlternativeNames())
        .containsExactly(List.of(6, "urn:redoubt:device:" + aliceId + ":" + deviceId));
    keys.installIssuedChain(chain.toArray(X509Certificate[]::new)); // it is for this key

    long issued = device.path("issuedLogIndex").asLong();
    JsonNode entry = logEntry(alice, issued);
    assertThat(entry.path("kind").asText()).isEqualTo("certificate-issued");
    // The answer carries its own proof: a signed head covering the leaf, and the audit path.
    JsonNode head = answer.path("treeHead");
    LogChecks.assertSignedByTheLogKey(head);
    assertThat(answer.path("inclusionProof").path("index").asLong()).isEqualTo(issued);
    assertThat(LogChecks.includes(head, entry, answer.path("inclusionProof").path("auditPath")))
        .isTrue();
    assertThat(entry.path("userId").asText()).isEqualTo(aliceId);
    assertThat(entry.path("deviceId").asText()).isEqualTo(deviceId.toString());
    assertThat(Base64.getUrlDecoder().decode(entry.path("certificateSha384").asText()))
        .isEqualTo(sha384(certificate.getEncoded()));

    assertThat(list(alice))
        .anySatisfy(d -> assertThat(d.path("deviceId").asText()).isEqualTo(deviceId.toString()));

    // Bob cannot see or revoke Alice's device; to him it does not exist.
    HttpResponse<String> bobs = delete(Lab.signIn("bob"), deviceId.toString());
    assertThat(bobs.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(bobs.body()).path("type").asText())
        .isEqualTo("urn:redoubt:problem:not-found");

    HttpResponse<String> revoked = delete(alice, deviceId.toString());
    assertThat(revoked.statusCode()).isEqualTo(200);
    JsonNode revokedDevice = JSON.readTree(revoked.body());
    assertThat(revokedDevice.path("status").asText()).isEqualTo("REVOKED");
    JsonNode revocation = logEntry(alice, revokedDevice.path("revokedLogIndex").asLong());
    assertThat(revocation.path("kind").asText()).isEqualTo("certificate-revoked");
    assertThat(revocation.path("deviceId").asText()).isEqualTo(deviceId.toString());

    // Revoking again changes nothing; the revocation is final.
    JsonNode again = JSON.readTree(delete(alice, deviceId.toString()).body());
    assertThat(again.path("revokedLogIndex").asLong())
        .isEqualTo(revokedDevice.path("revokedLogIndex").asLong());
  }

  @Test
  void badRequestsGetProblemsAndStoreNothing() throws Exception {
    AccessToken carol = Lab.signIn("carol");
    EnrolledDevices.revokeAllActive(carol);
    // Two good enrollments bracket the bad ones: adjacent log indices prove nothing was logged
    // in between (the suites run one at a time against this server).
    long firstLeaf = issuedLeaf(post(carol, goodEnrollment()));
    int before = list(carol).size();
    var generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("P-256"));
    var p256 = generator.generateKeyPair();
    byte[] p256Csr =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=carol"), p256.getPublic())
            .build(
                new JcaContentSignerBuilder("SHA256withECDSA")
                    .setProvider("BCFIPS")
                    .build(p256.getPrivate()))
            .getEncoded();
    DeviceKeyStore keys = newDeviceKeys("carol phone");
    byte[] good = csr(keys);
    byte[] tampered = good.clone();
    tampered[tampered.length - 5] ^= 1;

    assertRefused(carol, enrollment(UUID.randomUUID(), "phone", p256Csr, keys), 400, "P-384");
    assertRefused(carol, enrollment(UUID.randomUUID(), "phone", tampered, keys), 400, null);
    assertRefused(carol, enrollment(UUID.randomUUID(), "", good, keys), 400, "name");
    ObjectNode notAUuid = enrollment(UUID.randomUUID(), "phone", good, keys);
    notAUuid.put("deviceId", "not-a-uuid");
    assertRefused(carol, notAUuid, 400, "UUID");
    ObjectNode badBase64 = enrollment(UUID.randomUUID(), "phone", good, keys);
    badBase64.put("certificationRequest", "%%%");
    assertRefused(carol, badBase64, 400, "base64url");
    HttpResponse<String> malformed =
        send(carol, request("/api/v1/devices").POST(body("{not json")));
    assertThat(malformed.statusCode()).isEqualTo(400);
    // The identity is the token's; a request naming someone else is refused, not rewritten.
    for (String other : new String[] {"CN=bob", "UID=bob", "CN=carol,O=Someone Else"}) {
      byte[] naming =
          new JcaPKCS10CertificationRequestBuilder(
                  new X500Name(other), keys.chain()[0].getPublicKey())
              .build(
                  new JcaContentSignerBuilder("SHA384withECDSA")
                      .setProvider("BCFIPS")
                      .build(keys.identityKey()))
              .getEncoded();
      assertRefused(
          carol, enrollment(UUID.randomUUID(), "phone", naming, keys), 400, "other than you");
    }
    ObjectNode oversizedRequest = enrollment(UUID.randomUUID(), "phone", good, keys);
    oversizedRequest.put(
        "certificationRequest", Base64.getUrlEncoder().encodeToString(new byte[5000]));
    assertRefused(carol, oversizedRequest, 400, "larger than 4096");
    ObjectNode tooManyPrekeys = Enrollments.body(UUID.randomUUID(), "phone", good, keys, 101);
    assertRefused(carol, tooManyPrekeys, 400, "at most 100");
    HttpResponse<String> hugeBody =
        send(
            carol,
            request("/api/v1/devices").POST(body("{\"name\": \"" + "x".repeat(2 << 20) + "\"}")));
    assertThat(Http.assertProblem(hugeBody, 413).path("detail").asText()).contains("limit");

    assertThat(list(carol)).hasSize(before);
    assertThat(issuedLeaf(post(carol, goodEnrollment()))).isEqualTo(firstLeaf + 1);
    EnrolledDevices.revokeAllActive(carol);
  }

  private static ObjectNode goodEnrollment() throws Exception {
    DeviceKeyStore keys = newDeviceKeys("good");
    return enrollment(UUID.randomUUID(), "good", csr(keys), keys);
  }

  private static long issuedLeaf(HttpResponse<String> enrolled) throws Exception {
    assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(201);
    return JSON.readTree(enrolled.body()).path("device").path("issuedLogIndex").asLong();
  }

  @Test
  void theDeviceLimitHoldsAndIdsAreNeverReused() throws Exception {
    AccessToken dave = Lab.signIn("dave");
    for (JsonNode device : list(dave)) {
      if ("ACTIVE".equals(device.path("status").asText())) {
        delete(dave, device.path("deviceId").asText());
      }
    }
    DeviceKeyStore keys = newDeviceKeys("dave");
    byte[] csr = csr(keys);
    UUID first = UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      UUID id = i == 0 ? first : UUID.randomUUID();
      assertThat(post(dave, enrollment(id, "device " + i, csr, keys)).statusCode()).isEqualTo(201);
    }

    assertRefused(dave, enrollment(UUID.randomUUID(), "sixth", csr, keys), 409, "revoke one");
    assertThat(delete(dave, first.toString()).statusCode()).isEqualTo(200);
    assertRefused(dave, enrollment(first, "reused id", csr, keys), 409, "already in use");
    assertThat(post(dave, enrollment(UUID.randomUUID(), "sixth", csr, keys)).statusCode())
        .isEqualTo(201);
  }

  @Test
  void simultaneousEnrollmentsCannotExceedTheLimit() throws Exception {
    AccessToken bob = Lab.signIn("bob");
    for (JsonNode device : list(bob)) {
      if ("ACTIVE".equals(device.path("status").asText())) {
        delete(bob, device.path("deviceId").asText());
      }
    }
    DeviceKeyStore bobKeys = newDeviceKeys("bob");
    byte[] csr = csr(bobKeys);
    int attempts = 10;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(attempts);
    try {
      var start = new java.util.concurrent.CountDownLatch(1);
      var results = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
      for (int i = 0; i < attempts; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return post(bob, enrollment(UUID.randomUUID(), "racer", csr, bobKeys))
                      .statusCode();
                }));
      }
      start.countDown();
      var statuses = new java.util.ArrayList<Integer>();
      for (var result : results) {
        statuses.add(result.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }

      assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
      assertThat(statuses).filteredOn(s -> s == 409).hasSize(attempts - 5);
      assertThat(list(bob)).filteredOn(d -> "ACTIVE".equals(d.path("status").asText())).hasSize(5);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anAdministratorRevokesAnyonesDevice() throws Exception {
    AccessToken carol = Lab.signIn("carol");
    UUID deviceId = UUID.randomUUID();
    DeviceKeyStore tablet = newDeviceKeys("c");
    assertThat(post(carol, enrollment(deviceId, "tablet", csr(tablet), tablet)).statusCode())
        .isEqualTo(201);

    HttpResponse<String> byAnn = delete(Lab.signIn("ann"), deviceId.toString());

    assertThat(byAnn.statusCode()).as(byAnn.body()).isEqualTo(200);
    assertThat(list(carol))
        .filteredOn(d -> d.path("deviceId").asText().equals(deviceId.toString()))
        .singleElement()
        .satisfies(d -> assertThat(d.path("status").asText()).isEqualTo("REVOKED"));
  }

  @Test
  void onlySignedInRedoubtUsersReachDevices() throws Exception {
    Http.assertProblem(Http.get("/api/v1/devices", null), 401);
    assertThat(send(Lab.signIn("mallory"), request("/api/v1/devices").GET()).statusCode())
        .isEqualTo(403);
  }

  private static DeviceKeyStore newDeviceKeys(String name) throws Exception {
    return Enrollments.newDeviceKeys(name);
  }

  private static byte[] csr(DeviceKeyStore keys) throws Exception {
    return Enrollments.csr(keys);
  }

  /** A request whose prekeys are signed by {@code keys}, which may differ from the CSR's key. */
  private static ObjectNode enrollment(UUID deviceId, String name, byte[] csr, DeviceKeyStore keys)
      throws Exception {
    return Enrollments.body(deviceId, name, csr, keys, 3);
  }

  private static void assertRefused(AccessToken token, ObjectNode body, int status, String detail)
      throws Exception {
    JsonNode problem = Http.assertProblem(post(token, body), status);
    if (detail != null) {
      assertThat(problem.path("detail").asText()).contains(detail);
    }
  }

  private static void validatesToTheOrganisationCa(X509Certificate certificate) throws Exception {
    X509Certificate ca = certificates(Lab.client().info().caCertificateChainPem()).get(0);
    var parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX", "BCFIPS")
        .validate(
            CertificateFactory.getInstance("X.509", "BCFIPS")
                .generateCertPath(List.of(certificate)),
            parameters);
  }

  private static List<X509Certificate> certificates(String pem) throws Exception {
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
        .stream()
        .map(X509Certificate.class::cast)
        .toList();
  }

  private static JsonNode logEntry(AccessToken token, long index) throws Exception {
    HttpResponse<String> response =
        send(
            token,
            request("/api/v1/transparency/entries?start=" + index + "&end=" + (index + 1)).GET());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).path("entries").get(0);
  }

  private static List<JsonNode> list(AccessToken token) throws Exception {
    HttpResponse<String> response = send(token, request("/api/v1/devices").GET());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    var devices = new java.util.ArrayList<JsonNode>();
    JSON.readTree(response.body()).forEach(devices::add);
    return devices;
  }

  private static byte[] sha384(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-384").digest(data);
  }

  private static HttpResponse<String> post(AccessToken token, ObjectNode body) throws Exception {
    return send(token, request("/api/v1/devices").POST(body(JSON.writeValueAsString(body))));
  }

  private static HttpResponse<String> delete(AccessToken token, String deviceId) throws Exception {
    return send(token, request("/api/v1/devices/" + deviceId).DELETE());
  }

  private static HttpRequest.BodyPublisher body(String json) {
    return HttpRequest.BodyPublishers.ofString(json);
  }

  private static HttpRequest.Builder request(String path) {
    return Http.request(path).header("Content-Type", "application/json");
  }

  private static HttpResponse<String> send(AccessToken token, HttpRequest.Builder request)
      throws Exception {
    return Http.send(request.header("Authorization", token.authorization()));
  }
}
