package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redoubt.client.AccessToken;
import io.redoubt.client.OidcSignIn;
import io.redoubt.client.RedoubtApiException;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The public edge, black box: real Keycloak tokens for LDAP users against the deployed EAR, and
 * every way a token can be wrong.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    return Deployments.builtEar();
  }

  @Test
  void ldapUserAliceSeesHerIdentityRolesAndDirectoryGroups() throws Exception {
    AccessToken token = Lab.signIn("alice");

    var me = Lab.client().me(token);

    assertThat(me.username()).isEqualTo("alice");
    assertThat(me.userId()).isEqualTo(Jwt.payload(token.value()).path("sub").asText()).isNotBlank();
    assertThat(me.roles()).containsExactly("redoubt-user");
    assertThat(me.groups()).containsExactlyInAnyOrder("ops", "redoubt-users");
  }

  @Test
  void adminAnnIsAdmittedWithTheAdminRole() throws Exception {
    var me = Lab.client().me(Lab.signIn("ann"));

    assertThat(me.roles()).containsExactly("redoubt-admin");
  }

  @Test
  void withoutATokenTheAnswerIs401WithABearerChallengeAndAProblemBody() throws Exception {
    HttpResponse<String> response = get("/api/v1/me", null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"redoubt\"");
    assertProblem(response, 401, "urn:redoubt:problem:unauthorized");
  }

  @Test
  void aUserOutsideEveryRedoubtGroupIsForbidden() throws Exception {
    AccessToken mallory = Lab.signIn("mallory");

    assertThatThrownBy(() -> Lab.client().me(mallory))
        .isInstanceOfSatisfying(
            RedoubtApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.problemType()).isEqualTo("urn:redoubt:problem:forbidden");
            });
  }

  @Test
  void aTokenSignedByAnotherKeyIsRejected() throws Exception {
    String genuine = Lab.signIn("alice").value();
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    var forger = generator.generateKeyPair();

    // Same header (algorithm, key id) and claims as a genuine token: only the key differs.
    String forged = Jwt.signEs384(Jwt.header(genuine), Jwt.payload(genuine), forger.getPrivate());

    assertThat(get("/api/v1/me", forged).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/me", genuine).statusCode()).isEqualTo(200);
  }

  @Test
  void aTamperedTokenIsRejected() throws Exception {
    String genuine = Lab.signIn("alice").value();
    ObjectNode claims = Jwt.payload(genuine);
    claims.put("preferred_username", "ann");

    assertThat(get("/api/v1/me", Jwt.withPayload(genuine, claims)).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/me", Jwt.withFlippedSignatureBit(genuine)).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/me", "not-a-jwt").statusCode()).isEqualTo(401);
  }

  @Test
  void anExpiredTokenIsRejected() throws Exception {
    // A client of its own whose tokens live 2 s, so that nothing else in the realm changes.
    String clientId = "it-short-lived-" + UUID.randomUUID();
    ObjectNode client = JSON.createObjectNode();
    client.put("clientId", clientId);
    client.put("publicClient", true);
    client.put("directAccessGrantsEnabled", true);
    client.put("standardFlowEnabled", false);
    client.putObject("attributes").put("access.token.lifespan", "2");
    ObjectNode audience = client.putArray("protocolMappers").addObject();
    audience.put("name", "audience");
    audience.put("protocol", "openid-connect");
    audience.put("protocolMapper", "oidc-audience-mapper");
    audience
        .putObject("config")
        .put("included.client.audience", "redoubt-api")
        .put("access.token.claim", "true");
    assertThat(new KeycloakAdmin().create("clients", client)).isEqualTo(201);

    AccessToken token =
        new OidcSignIn(Lab.ISSUER, clientId, Lab.tls())
            .withPassword("alice", Lab.env("DEMO_PASSWORD").toCharArray())
            .access();
    // Valid while fresh: the rejection below is due to expiry alone.
    assertThat(get("/api/v1/me", token.value()).statusCode()).isEqualTo(200);

    Instant exp = Instant.ofEpochSecond(Jwt.payload(token.value()).path("exp").asLong());
    Duration wait = Duration.between(Instant.now(), exp.plusSeconds(5 + 2)); // + clock skew
    Thread.sleep(Math.max(0, wait.toMillis()));

    HttpResponse<String> response = get("/api/v1/me", token.value());
    assertThat(response.statusCode()).isEqualTo(401);
    assertProblem(response, 401, "urn:redoubt:problem:unauthorized");
  }

  @Test
  void infoIsPublicAndCarriesTheP384CaCertificateAndFipsState() throws Exception {
    var info = Lab.client().info();

    assertThat(info.product()).isEqualTo("Redoubt");
    assertThat(info.organisation()).isEqualTo("Redoubt Lab");
    assertThat(info.version()).isNotEqualTo("development");
    assertThat(info.fips().approvedOnly()).isTrue();
    assertThat(info.fips().selfTestPassed()).isTrue();
    X509Certificate ca =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(
                        info.caCertificateChainPem().getBytes(StandardCharsets.US_ASCII)));
    ca.verify(ca.getPublicKey()); // self-signed in the lab
    assertThat(((ECPublicKey) ca.getPublicKey()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(384);
    assertThat(ca.getBasicConstraints()).isZero();
  }

  @Test
  void unknownPathsAndMethodsGetProblemBodies() throws Exception {
    assertProblem(get("/api/v1/no-such-thing", null), 404, "urn:redoubt:problem:not-found");
    HttpResponse<String> delete =
        send(HttpRequest.newBuilder(Lab.SERVER.resolve("/api/v1/info")).DELETE());
    assertProblem(delete, 405, "urn:redoubt:problem:method-not-allowed");
  }

  @Test
  void readinessReportsDatabaseHsmAndFips() throws Exception {
    HttpResponse<String> response = get("/api/v1/health/ready", null);

    assertThat(response.statusCode()).isEqualTo(200);
    var body = JSON.readTree(response.body());
    assertThat(body.path("status").asText()).isEqualTo("UP");
    assertThat(body.path("checks").findValuesAsText("name"))
        .containsExactlyInAnyOrder("database", "hsm", "fips");
    assertThat(get("/api/v1/health/live", null).statusCode()).isEqualTo(200);
  }

  private static void assertProblem(HttpResponse<String> response, int status, String type)
      throws Exception {
    assertThat(Http.assertProblem(response, status).path("type").asText()).isEqualTo(type);
  }

  private static HttpResponse<String> get(String path, String bearer) throws Exception {
    return Http.get(path, bearer);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return Http.send(request);
  }
}
