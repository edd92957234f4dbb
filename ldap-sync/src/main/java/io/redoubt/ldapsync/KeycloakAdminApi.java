package io.redoubt.ldapsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The few Keycloak admin REST calls ldap-sync makes, over java.net.http with Jackson. Signs in with
 * a password grant (an admin user, for provisioning) or client credentials (a service account, for
 * reconciliation); the access token is renewed shortly before it expires. Thread-safe.
 */
public final class KeycloakAdminApi {

  /** Answers other than 2xx (and other than the 404s callers ask to see). */
  public static final class KeycloakException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    KeycloakException(String message, int status) {
      super(message);
      this.status = status;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
      return status;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * Keycloak answers a sync trigger only when the sync is done: a full sync of 10,000 LDAP users
   * takes about a minute on a quiet two-core host and several under load.
   */
  private static final Duration SYNC_TIMEOUT = Duration.ofHours(1);

  private final HttpClient http;
  private final URI base;
  private final String realm;
  private final String tokenForm;
  private final String tokenRealm;
  private volatile Duration timeout = TIMEOUT;
  private String token;
  private Instant tokenExpires = Instant.EPOCH;

  private KeycloakAdminApi(
      HttpClient http, URI base, String realm, String tokenRealm, String tokenForm) {
    this.http = http;
    this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
    this.realm = realm;
    this.tokenRealm = tokenRealm;
    this.tokenForm = tokenForm;
  }

  /** Signs in as an admin user of {@code adminRealm} (e.g. master) with a password grant. */
  public static KeycloakAdminApi withPassword(
      URI base,
      String realm,
      SSLContext tls,
      String adminRealm,
      String clientId,
      String username,
      String password) {
    String form =
        "grant_type=password&client_id="
            + enc(clientId)
            + "&username="
            + enc(username)
            + "&password="
            + enc(password);
    return new KeycloakAdminApi(client(tls), base, realm, adminRealm, form);
  }

  /** Signs in as the service account of confidential client {@code clientId} of {@code realm}. */
  public static KeycloakAdminApi withClientCredentials(
      URI base, String realm, SSLContext tls, String clientId, String secret) {
    String form =
        "grant_type=client_credentials&client_id="
            + enc(clientId)
            + "&client_secret="
            + enc(secret);
    return new KeycloakAdminApi(client(tls), base, realm, realm, form);
  }

  /** The API as {@code settings} say to sign in (admin user or admin client). */
  public static KeycloakAdminApi forSettings(
      DirectorySettings settings, java.util.Map<String, String> env)
      throws IOException, GeneralSecurityException {
    SSLContext tls =
        settings.keycloakCaFile().isPresent()
            ? trusting(settings.keycloakCaFile().get())
            : SSLContext.getDefault();
    String secret = settings.adminSecret().resolve(env);
    if (settings.adminUsername().isPresent()) {
      return withPassword(
          settings.keycloakUrl(),
          settings.realm(),
          tls,
          settings.adminRealm(),
          settings.adminClientId(),
          settings.adminUsername().get(),
          secret);
    }
    String form =
        "grant_type=client_credentials&client_id="
            + enc(settings.adminClientId())
            + "&client_secret="
            + enc(secret);
    return new KeycloakAdminApi(
        client(tls), settings.keycloakUrl(), settings.realm(), settings.adminRealm(), form);
  }

  /** An SSL context that trusts exactly the certificates in a PEM file (e.g. a private CA). */
  public static SSLContext trusting(Path pem) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  private static HttpClient client(SSLContext tls) {
    return HttpClient.newBuilder()
        .sslContext(tls)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  public String realm() {
    return realm;
  }

  /**
   * How long to wait for each answer (30 s unless set). A page of an LDAP-mapped group's members
   * can take Keycloak much longer than a plain read: it imports every member it has not seen yet,
   * one by one, while it answers.
   *
   * @return this API
   */
  public KeycloakAdminApi timeout(Duration perRequest) {
    if (perRequest.isNegative() || perRequest.isZero()) {
      throw new IllegalArgumentException("the request timeout must be positive");
    }
    this.timeout = perRequest;
    return this;
  }

  /** GET {@code /admin/realms/{realm}/{path}}: the JSON answer, or empty on 404. */
  public Optional<JsonNode> get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = send(admin(path).GET());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(JSON.readTree(checked(response, "GET " + path).body()));
  }

  /** GET {@code /admin/realms/{realm}} itself (the realm representation). */
  public JsonNode realmRepresentation() throws IOException, InterruptedException {
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(base.resolve("admin/realms/" + enc(realm))).GET());
    return JSON.readTree(checked(response, "GET realm " + realm).body());
  }

  /** POST a JSON body; returns the id at the end of the Location header, if there is one. */
  public Optional<String> post(String path, JsonNode body)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        send(admin(path).POST(json(body)).header("Content-Type", "application/json"));
    checked(response, "POST " + path);
    return response
        .headers()
        .firstValue("Location")
        .map(location -> location.substring(location.lastIndexOf('/') + 1));
  }

  /** POST a JSON body that asks something: the JSON answer, or empty on 404. */
  public Optional<JsonNode> postForJson(String path, JsonNode body)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        send(admin(path).POST(json(body)).header("Content-Type", "application/json"));
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(JSON.readTree(checked(response, "POST " + path).body()));
  }

  /** POST with no body (e.g. a sync trigger); returns the JSON answer, if any. */
  public Optional<JsonNode> postEmpty(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        send(
            admin(path).POST(HttpRequest.BodyPublishers.noBody()),
            timeout.compareTo(SYNC_TIMEOUT) > 0 ? timeout : SYNC_TIMEOUT);
    String body = checked(response, "POST " + path).body();
    return body == null || body.isBlank() ? Optional.empty() : Optional.of(JSON.readTree(body));
  }

  public void put(String path, JsonNode body) throws IOException, InterruptedException {
    checked(
        send(admin(path).PUT(json(body)).header("Content-Type", "application/json")),
        "PUT " + path);
  }

  public void delete(String path) throws IOException, InterruptedException {
    checked(send(admin(path).DELETE()), "DELETE " + path);
  }

  /** POST a form under the admin realm path; returns the status (for test endpoints). */
  public int postForm(String path, String form) throws IOException, InterruptedException {
    return send(admin(path)
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .header("Content-Type", "application/x-www-form-urlencoded"))
        .statusCode();
  }

  /** POST JSON and return only the status, for calls whose failure is an answer (tests). */
  public int postStatus(String path, JsonNode body) throws IOException, InterruptedException {
    return send(admin(path).POST(json(body)).header("Content-Type", "application/json"))
        .statusCode();
  }

  private HttpRequest.Builder admin(String path) {
    return HttpRequest.newBuilder(base.resolve("admin/realms/" + enc(realm) + "/" + path));
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return send(request, timeout);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, Duration wait)
      throws IOException, InterruptedException {
    HttpRequest built =
        request
            .timeout(wait)
            .header("Authorization", "Bearer " + token())
            .header("Accept", "application/json")
            .build();
    try {
      return http.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new KeycloakException("Keycloak is unreachable at " + base + ": " + e, 0);
    }
  }

  private synchronized String token() throws IOException, InterruptedException {
    if (token == null || Instant.now().isAfter(tokenExpires)) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  base.resolve("realms/" + enc(tokenRealm) + "/protocol/openid-connect/token"))
              .timeout(TIMEOUT)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(tokenForm))
              .build();
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (java.net.ConnectException e) {
        throw new KeycloakException("Keycloak is unreachable at " + base + ": " + e, 0);
      }
      if (response.statusCode() != 200) {
        // The body names the OAuth error (invalid_grant, unauthorized_client); never the secret.
        throw new KeycloakException(
            "Keycloak refused the sign-in to realm "
                + tokenRealm
                + " (HTTP "
                + response.statusCode()
                + "): "
                + abbreviated(response.body()),
            response.statusCode());
      }
      JsonNode answer = JSON.readTree(response.body());
      token = answer.path("access_token").asText();
      // Renew 30 s early (or half-way for very short tokens), so a long run never sends an expired
      // one.
      long lifetime = answer.path("expires_in").asLong(60);
      tokenExpires = Instant.now().plusSeconds(Math.max(5, Math.min(lifetime - 30, lifetime / 2)));
    }
    return token;
  }

  private static HttpResponse<String> checked(HttpResponse<String> response, String what)
      throws KeycloakException {
    if (response.statusCode() / 100 != 2) {
      throw new KeycloakException(
          what + " answered HTTP " + response.statusCode() + ": " + abbreviated(response.body()),
          response.statusCode());
    }
    return response;
  }

  private static String abbreviated(String body) {
    if (body == null) {
      return "";
    }
    return body.length() > 300 ? body.substring(0, 300) + "…" : body;
  }

  private static HttpRequest.BodyPublisher json(JsonNode body) throws IOException {
    return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
  }

  /** URL-encodes one path segment or form value. */
  public static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
