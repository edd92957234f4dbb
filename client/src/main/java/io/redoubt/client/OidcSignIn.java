package io.redoubt.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * Signs in against the organisation's OpenID Connect provider (Keycloak).
 *
 * <p>Only the resource-owner password grant exists so far; it is enabled in the lab and test realm
 * only. The device authorization grant, the default for people, comes with the {@code redoubt} CLI.
 */
public final class OidcSignIn {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final URI issuer;
  private final String clientId;
  private final HttpClient http;
  private final Clock clock;

  /**
   * @param issuer the realm's issuer URL, e.g. {@code https://sso.agency.example/realms/redoubt}
   * @param clientId the public client of the SDK, {@code redoubt-cli}
   */
  public OidcSignIn(URI issuer, String clientId, SSLContext tls) {
    this.issuer = issuer;
    this.clientId = clientId;
    this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(TIMEOUT).build();
    this.clock = Clock.systemUTC();
  }

  /**
   * Exchanges a username and password for an access token. The password array is zeroed before this
   * method returns.
   *
   * @throws RedoubtApiException when the provider refuses (wrong password, locked account)
   */
  public AccessToken withPassword(String username, char[] password)
      throws IOException, InterruptedException, RedoubtApiException {
    String form;
    try {
      form =
          formEncode(
              Map.of(
                  "grant_type",
                  "password",
                  "client_id",
                  clientId,
                  "scope",
                  "openid",
                  "username",
                  username,
                  "password",
                  new String(password)));
    } finally {
      Arrays.fill(password, '\0');
    }
    var request =
        HttpRequest.newBuilder(issuer.resolve(issuer.getPath() + "/protocol/openid-connect/token"))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    var sentAt = clock.instant();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode body = Json.MAPPER.readTree(response.body());
    if (response.statusCode() != 200) {
      // OAuth errors (RFC 6749 §5.2) carry "error" and "error_description", never the password.
      throw new RedoubtApiException(
          response.statusCode(),
          "urn:ietf:params:oauth:error:" + body.path("error").asText("unknown"),
          body.path("error_description").asText(null));
    }
    return new AccessToken(
        body.path("access_token").asText(), sentAt.plusSeconds(body.path("expires_in").asLong(0)));
  }

  private static String formEncode(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            field ->
                URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
