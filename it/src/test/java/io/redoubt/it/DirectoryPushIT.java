package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.client.AccessToken;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The push channel and the time to offboard with the default intervals (reconciliation every 5 min,
 * membership check every 30 s; see it/pom.xml): Keycloak's redoubt-directory-events listener (the
 * provider jar the lab installs), Redoubt's {@code POST /api/v1/directory-events}, and what a
 * change in Keycloak or in slapd costs until dave's still-valid token is refused. Uses dave only,
 * who is enabled and put back into redoubt-users after every test.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DirectoryPushIT {

  static final Duration BOUND = Duration.ofSeconds(60);

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

  @BeforeEach
  void daveHasAccess() throws Exception {
    awaitAccess("dave");
  }

  @AfterEach
  void daveIsBack() throws Exception {
    LabDirectory.addMembers("redoubt-users", List.of("dave"));
    KeycloakAdmin admin = new KeycloakAdmin();
    String id = daveId(admin);
    admin.update("users/" + id, Http.JSON.createObjectNode().put("enabled", true));
    DirectoryAdmin.awaitStatus("dave", "ACTIVE", Duration.ofSeconds(90));
  }

  /**
   * Waits until a fresh token of {@code username} is served. Keycloak may hold a copy of the user
   * from before a test put them back into redoubt-users, group list included, and the token's roles
   * come from that list (bounded by ldap.user-cache-lifespan, 5 min): the cache is cleared as an
   * operator would, so each test starts from what LDAP says.
   */
  private static void awaitAccess(String username) throws Exception {
    new KeycloakAdmin().clearUserCache();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    HttpResponse<String> answer;
    do {
      answer = Http.get("/api/v1/devices", Lab.signIn(username).value());
      if (answer.statusCode() == 200) {
        return;
      }
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        username + " is not served a minute after the reset: " + answer.body());
  }

  @Test
  void keycloakLoadsTheListenerAndTheRealmUsesIt() throws Exception {
    KeycloakAdmin admin = new KeycloakAdmin();
    JsonNode listeners = admin.get("serverinfo").path("providers").path("eventsListener");
    assertThat(listeners.path("providers").has("redoubt-directory-events"))
        .as("server-info lists the provider: " + listeners)
        .isTrue();
    JsonNode config = admin.get("realms/redoubt/events/config");
    assertThat(config.path("eventsListeners").toString()).contains("redoubt-directory-events");
  }

  @Test
  void onlyTheListenersServiceAccountMayPostHintsAndTheyAreChecked() throws Exception {
    String hint =
        "{\"realm\":\"redoubt\",\"userId\":\""
            + UUID.randomUUID()
            + "\",\"kind\":\"USER_UPDATED\"}";
    assertThat(Http.send(post(hint, null)).statusCode()).isEqualTo(401);
    assertThat(Http.send(post(hint, Lab.signIn("ann").value())).statusCode())
        .as("not even an administrator")
        .isEqualTo(403);

    String listener = listenerToken();
    HttpResponse<String> unknown = Http.send(post(hint, listener));
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(200);
    assertThat(Http.JSON.readTree(unknown.body()).path("outcome").asText()).isEqualTo("UNKNOWN");

    Http.assertProblem(Http.send(post("{\"realm\":\"redoubt\"}", listener)), 400);
    Http.assertProblem(Http.send(post(hint.replace("\"redoubt\"", "\"master\""), listener)), 400);
    Http.assertProblem(Http.send(post(hint.replace("USER_UPDATED", "MAKE_ADMIN"), listener)), 400);
  }

  @Test
  void disabledInKeycloakHisTokenIsRefusedAndDevicesRevokedWithinSeconds() throws Exception {
    AccessToken dave = Lab.signIn("dave");
    EnrolledDevices.revokeAllActive(dave); // other suites enroll for dave too
    UUID device = EnrolledDevices.enroll(dave, "dave's laptop").deviceId();
    KeycloakAdmin admin = new KeycloakAdmin();
    String id = daveId(admin);

    assertThat(admin.update("users/" + id, Http.JSON.createObjectNode().put("enabled", false)))
        .isEqualTo(204);
    long at = System.nanoTime();
    HttpResponse<String> refused = awaitRefusal(dave, at);
    double seconds = (System.nanoTime() - at) / 1e9;
    System.out.printf(
        "[figures] disabled in Keycloak (admin event -> push) -> API call refused: %.2f s%n",
        seconds);
    assertThat(refused).as("still accepted after " + BOUND).isNotNull();
    assertThat(Http.assertProblem(refused, 403).path("type").asText())
        .isEqualTo("urn:redoubt:problem:account-disabled");
    assertThat(seconds).as("the push, not the 30 s membership check").isLessThan(20);
    assertRevoked(device);
  }

  @Test
  void removedFromTheAccessGroupInSlapdWithinTheBound() throws Exception {
    AccessToken dave = Lab.signIn("dave");
    EnrolledDevices.revokeAllActive(dave); // other suites enroll for dave too
    UUID device = EnrolledDevices.enroll(dave, "dave's phone").deviceId();
    LabDirectory.removeMembers("redoubt-users", List.of("dave"));
    long at = System.nanoTime();
    HttpResponse<String> refused = awaitRefusal(dave, at);
    double seconds = (System.nanoTime() - at) / 1e9;
    System.out.printf(
        "[figures] removed from redoubt-users in slapd (membership check, default 30 s) -> API"
            + " call refused: %.2f s%n",
        seconds);
    assertThat(refused).as("still accepted after " + BOUND).isNotNull();
    assertThat(Http.assertProblem(refused, 403).path("type").asText())
        .isEqualTo("urn:redoubt:problem:account-disabled");
    assertRevoked(device);
  }

  private static HttpResponse<String> awaitRefusal(AccessToken token, long since) throws Exception {
    while (System.nanoTime() - since < BOUND.toNanos()) {
      HttpResponse<String> answer = Http.get("/api/v1/devices", token.value());
      if (answer.statusCode() != 200) {
        return answer;
      }
      Thread.sleep(100);
    }
    return null;
  }

  private static void assertRevoked(UUID deviceId) throws Exception {
    HttpResponse<String> answer =
        Http.get("/api/v1/admin/directory/users/dave", Lab.signIn("ann").value());
    JsonNode record = Http.JSON.readTree(answer.body());
    assertThat(record.path("status").asText()).isIn("DISABLED", "REMOVED");
    for (JsonNode device : record.path("devices")) {
      if (device.path("deviceId").asText().equals(deviceId.toString())) {
        assertThat(device.path("status").asText()).isEqualTo("REVOKED");
        assertThat(device.path("revokedLeaf").isNumber()).isTrue();
        return;
      }
    }
    throw new AssertionError("device " + deviceId + " not in " + record);
  }

  private static HttpRequest.Builder post(String body, String bearer) {
    HttpRequest.Builder request =
        Http.request("/api/v1/directory-events")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    return bearer == null ? request : request.header("Authorization", "Bearer " + bearer);
  }

  /** A token of the listener's own client, as the listener gets it. */
  private static String listenerToken() throws Exception {
    String form =
        "grant_type=client_credentials&client_id=redoubt-directory-events&client_secret="
            + URLEncoder.encode(Lab.secret("DIRECTORY_EVENTS_SECRET"), StandardCharsets.UTF_8);
    HttpResponse<String> answer =
        HttpClient.newBuilder()
            .sslContext(Lab.tls())
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(Lab.ISSUER + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    return Http.JSON.readTree(answer.body()).path("access_token").asText();
  }

  private static String daveId(KeycloakAdmin admin) throws Exception {
    JsonNode users = admin.get("realms/redoubt/users?exact=true&username=dave");
    return users.get(0).path("id").asText();
  }
}
