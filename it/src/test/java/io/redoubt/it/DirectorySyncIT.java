package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.client.AccessToken;
import io.redoubt.client.device.DeviceKeyStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Security;
import java.time.Duration;
import java.util.Hashtable;
import java.util.UUID;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.AttributeInUseException;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.ModificationItem;
import javax.naming.directory.NoSuchAttributeException;
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
 * (LDAP federation, read-only group mapper), Redoubt's reconciliation on its timer (every 5 s in
 * the tests, see it/pom.xml), and the API refusing a still-valid token. Uses erin only, who is put
 * back into redoubt-users after every test.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DirectorySyncIT {

  static final String ERIN_DN = "uid=erin,ou=people,dc=redoubt,dc=test";
  static final String USERS_GROUP_DN = "cn=redoubt-users,ou=groups,dc=redoubt,dc=test";

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
    awaitStatus("erin", "ACTIVE", Duration.ofSeconds(60));
  }

  @Test
  void removedFromTheAccessGroupHerTokenIsRefusedAndHerDevicesRevoked() throws Exception {
    AccessToken erin = Lab.signIn("erin");
    UUID deviceId = enroll(erin, "erin's laptop");
    assertThat(Http.get("/api/v1/devices", erin.value()).statusCode()).isEqualTo(200);

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

    JsonNode record = adminGet("/api/v1/admin/directory/users/erin");
    assertThat(record.path("status").asText()).isEqualTo("DISABLED");
    assertThat(record.path("displayName").asText()).isEqualTo("Erin Evans");
    assertThat(record.path("email").asText()).isEqualTo("erin@redoubt.test");
    JsonNode device = deviceIn(record, deviceId);
    assertThat(device.path("status").asText()).isEqualTo("REVOKED");
    assertThat(device.path("revokedLeaf").isNumber())
        .as("the revocation is in the transparency log")
        .isTrue();

    JsonNode runs = adminGet("/api/v1/admin/directory/sync-runs?limit=50");
    boolean recorded = false;
    for (JsonNode run : runs) {
      recorded |=
          run.path("outcome").asText().equals("SUCCEEDED") && run.path("disabled").asInt() >= 1;
    }
    assertThat(recorded).as("a run recorded disabling erin: " + runs).isTrue();
  }

  @Test
  void backInTheGroupSheEnrollsANewDeviceAndTheOldOneStaysRevoked() throws Exception {
    AccessToken erin = Lab.signIn("erin");
    UUID old = enroll(erin, "erin's old phone");
    membership(DirContext.REMOVE_ATTRIBUTE);
    awaitStatus("erin", "DISABLED", Duration.ofSeconds(60));

    membership(DirContext.ADD_ATTRIBUTE);
    JsonNode run = adminPost("/api/v1/admin/directory/sync-runs");
    assertThat(run.path("outcome").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    awaitStatus("erin", "ACTIVE", Duration.ofSeconds(30));

    AccessToken again = Lab.signIn("erin");
    assertThat(Http.get("/api/v1/devices", again.value()).statusCode()).isEqualTo(200);
    UUID fresh = enroll(again, "erin's new phone");
    JsonNode record = adminGet("/api/v1/admin/directory/users/erin");
    assertThat(deviceIn(record, old).path("status").asText()).isEqualTo("REVOKED");
    assertThat(deviceIn(record, fresh).path("status").asText()).isEqualTo("ACTIVE");
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
    JsonNode run = adminPost("/api/v1/admin/directory/sync-runs?full=true");
    assertThat(run.path("outcome").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(run.path("fullCheck").asBoolean()).isTrue();
    assertThat(run.path("disabled").asInt()).isZero();
    // alice, bob, carol, dave, erin, ann: every access-group member was read.
    assertThat(run.path("seen").asInt()).isGreaterThanOrEqualTo(6);
  }

  private static UUID enroll(AccessToken token, String name) throws Exception {
    DeviceKeyStore keys = Enrollments.newDeviceKeys(name);
    UUID id = UUID.randomUUID();
    var request =
        Http.request("/api/v1/devices")
            .header("Authorization", "Bearer " + token.value())
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    Http.JSON.writeValueAsString(
                        Enrollments.body(id, name, Enrollments.csr(keys), keys, 2))));
    HttpResponse<String> answer = Http.send(request);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    return id;
  }

  private static JsonNode deviceIn(JsonNode record, UUID deviceId) {
    for (JsonNode device : record.path("devices")) {
      if (device.path("deviceId").asText().equals(deviceId.toString())) {
        return device;
      }
    }
    throw new AssertionError("device " + deviceId + " not in " + record);
  }

  private static void awaitStatus(String username, String status, Duration within)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    String seen = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer =
          Http.get("/api/v1/admin/directory/users/" + username, Lab.signIn("ann").value());
      if (answer.statusCode() == 200) {
        seen = Http.JSON.readTree(answer.body()).path("status").asText();
        if (seen.equals(status)) {
          return;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError(username + " is " + seen + ", not " + status + ", after " + within);
  }

  private static JsonNode adminGet(String path) throws Exception {
    HttpResponse<String> answer = Http.get(path, Lab.signIn("ann").value());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return Http.JSON.readTree(answer.body());
  }

  private static JsonNode adminPost(String path) throws Exception {
    HttpResponse<String> answer =
        Http.send(
            Http.request(path)
                .header("Authorization", "Bearer " + Lab.signIn("ann").value())
                .POST(HttpRequest.BodyPublishers.noBody()));
    // A timer run may be under way: wait for it and ask again.
    for (int i = 0; i < 20 && answer.statusCode() == 409; i++) {
      Thread.sleep(500);
      answer =
          Http.send(
              Http.request(path)
                  .header("Authorization", "Bearer " + Lab.signIn("ann").value())
                  .POST(HttpRequest.BodyPublishers.noBody()));
    }
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return Http.JSON.readTree(answer.body());
  }

  /** Adds erin to, or removes her from, redoubt-users in slapd, as the directory's admin. */
  private static void membership(int operation) throws NamingException {
    var env = new Hashtable<String, String>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
    env.put(Context.PROVIDER_URL, Lab.env("LDAP_URL"));
    env.put(Context.SECURITY_AUTHENTICATION, "simple");
    env.put(Context.SECURITY_PRINCIPAL, Lab.env("LDAP_BIND_DN"));
    env.put(Context.SECURITY_CREDENTIALS, Lab.secret("LDAP_ADMIN_PASSWORD"));
    DirContext ldap = new InitialDirContext(env);
    try {
      ldap.modifyAttributes(
          USERS_GROUP_DN,
          new ModificationItem[] {
            new ModificationItem(operation, new BasicAttribute("member", ERIN_DN))
          });
    } catch (AttributeInUseException | NoSuchAttributeException alreadySo) {
      // Already a member (or already not): the state the caller wants.
    } finally {
      ldap.close();
    }
  }
}
