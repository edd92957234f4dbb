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
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * Signs in against the organisation's OpenID Connect provider (Keycloak).
 *
 * <p>People sign in with the device authorization grant (RFC 8628): the CLI shows a URL and a code,
 * and the person approves in a browser, with whatever MFA the agency enforces there; the CLI never
 * sees their password. The resource-owner password grant exists for the lab and test realm only,
 * and for bots that have no person behind them.
 */
public final class OidcSignIn {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

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
   * Exchanges a username and password for tokens (lab and bots only). The password array is zeroed
   * before this method returns.
   *
   * @throws RedoubtApiException when the provider refuses (wrong password, locked account)
   */
  public Tokens withPassword(String username, char[] password)
      throws IOException, InterruptedException, RedoubtApiException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("client_id", clientId);
    form.put("scope", "openid");
    form.put("username", username);
    try {
      form.put("password", new String(password));
    } finally {
      Arrays.fill(password, '\0');
    }
    return tokens(post("token", form));
  }

  /**
   * Signs in through the device authorization grant: asks the provider for a code, hands it to
   * {@code prompt} to show the person, then polls until they approve, deny, or the code expires.
   *
   * @throws RedoubtApiException when the person denies, or the code expires
   */
  public Tokens withDeviceCode(Consumer<DeviceAuthorization> prompt)
      throws IOException, InterruptedException, RedoubtApiException {
    JsonNode started =
        post("auth/device", Map.of("client_id", clientId, "scope", "openid")).requireOk();
    Duration expiresIn = Duration.ofSeconds(started.path("expires_in").asLong(600));
    Duration interval = Duration.ofSeconds(Math.max(1, started.path("interval").asLong(5)));
    String completeUri = started.path("verification_uri_complete").asText(null);
    prompt.accept(
        new DeviceAuthorization(
            URI.create(started.path("verification_uri").asText()),
            completeUri == null ? null : URI.create(completeUri),
            started.path("user_code").asText(),
            expiresIn));
    Instant deadline = clock.instant().plus(expiresIn);
    Map<String, String> poll =
        Map.of(
            "grant_type", DEVICE_GRANT,
            "client_id", clientId,
            "device_code", started.path("device_code").asText());
    while (clock.instant().isBefore(deadline)) {
      Thread.sleep(interval.toMillis());
      Reply reply = post("token", poll);
      String error = reply.body.path("error").asText("");
      if (reply.status == 200) {
        return tokens(reply);
      } else if ("slow_down".equals(error)) {
        interval = interval.plusSeconds(5); // RFC 8628 §3.5
      } else if (!"authorization_pending".equals(error)) {
        throw reply.failure();
      }
    }
    throw new RedoubtApiException(
        400, "urn:ietf:params:oauth:error:expired_token", "the sign-in code expired");
  }

  /** Renews the access token with a refresh token. */
  public Tokens refresh(String refreshToken)
      throws IOException, InterruptedException, RedoubtApiException {
    return tokens(
        post(
            "token",
            Map.of(
                "grant_type", "refresh_token",
                "client_id", clientId,
                "refresh_token", refreshToken)));
  }

  /** Ends the provider's session behind a refresh token (the OIDC provider's logout endpoint). */
  public void signOut(String refreshToken)
      throws IOException, InterruptedException, RedoubtApiException {
    Reply reply = post("logout", Map.of("client_id", clientId, "refresh_token", refreshToken));
    if (reply.status / 100 != 2) {
      throw reply.failure();
    }
  }

  private Tokens tokens(Reply reply) throws RedoubtApiException {
    JsonNode body = reply.requireOk();
    Instant now = clock.instant();
    String refresh = body.path("refresh_token").asText(null);
    long refreshLife = body.path("refresh_expires_in").asLong(0);
    return new Tokens(
        new AccessToken(
            body.path("access_token").asText(), now.plusSeconds(body.path("expires_in").asLong(0))),
        refresh,
        refreshLife > 0 ? now.plusSeconds(refreshLife) : null);
  }

  private Reply post(String endpoint, Map<String, String> form)
      throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(
                URI.create(issuer + "/protocol/openid-connect/" + endpoint).normalize())
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    String body = response.body();
    return new Reply(
        response.statusCode(),
        body == null || body.isBlank()
            ? Json.MAPPER.createObjectNode()
            : Json.MAPPER.readTree(body));
  }

  /** One answer of the provider; OAuth errors (RFC 6749 §5.2) never carry the password. */
  private record Reply(int status, JsonNode body) {
    JsonNode requireOk() throws RedoubtApiException {
      if (status != 200) {
        throw failure();
      }
      return body;
    }

    RedoubtApiException failure() {
      return new RedoubtApiException(
          status,
          "urn:ietf:params:oauth:error:" + body.path("error").asText("unknown"),
          body.path("error_description").asText(body.path("error").asText(null)));
    }
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
