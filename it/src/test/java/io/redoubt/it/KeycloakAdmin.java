package io.redoubt.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** The few Keycloak admin REST calls the tests need, as the lab's bootstrap admin. */
final class KeycloakAdmin {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().sslContext(Lab.tls()).build();
  private final String token;

  KeycloakAdmin() throws Exception {
    String issuer = Lab.ISSUER.toString();
    this.base = URI.create(issuer.substring(0, issuer.indexOf("/realms/")));
    String form =
        "grant_type=password&client_id=admin-cli&username=admin&password="
            + URLEncoder.encode(Lab.secret("KEYCLOAK_ADMIN_PASSWORD"), StandardCharsets.UTF_8);
    var response =
        http.send(
            HttpRequest.newBuilder(base.resolve("/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("Keycloak admin sign-in failed: " + response.statusCode());
    }
    this.token = JSON.readTree(response.body()).path("access_token").asText();
  }

  /** The bootstrap admin's access token, for requests the test makes itself. */
  String token() {
    return token;
  }

  /** GETs {@code /admin/...} (a path below /admin/, e.g. "serverinfo"). */
  JsonNode get(String adminPath) throws Exception {
    var response =
        http.send(
            HttpRequest.newBuilder(base.resolve("/admin/" + adminPath))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET /admin/" + adminPath + ": " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  /** PUTs a JSON representation under /admin/realms/redoubt/...; returns the status. */
  int update(String path, JsonNode body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(base.resolve("/admin/realms/redoubt/" + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** POSTs a JSON representation under /admin/realms/redoubt/...; returns the status. */
  int create(String path, JsonNode body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(base.resolve("/admin/realms/redoubt/" + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /**
   * Empties the realm's user cache, as an operator's "Clear user cache" does: federated users, and
   * the group lists their tokens' roles come from, are read from LDAP again on next use.
   */
  void clearUserCache() throws Exception {
    int status =
        http.send(
                HttpRequest.newBuilder(base.resolve("/admin/realms/redoubt/clear-user-cache"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode();
    if (status != 204) {
      throw new IllegalStateException("POST clear-user-cache: " + status);
    }
  }
}
