package io.redoubt.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.protocol.api.InfoResponse;
import io.redoubt.protocol.api.MeResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** A connection to one Redoubt server's REST API v1. Thread-safe. */
public final class RedoubtClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final URI api;
  private final HttpClient http;

  /**
   * @param server the server's base URL, e.g. {@code https://redoubt.agency.example}
   * @param tls trust anchors for the server's certificate
   */
  public RedoubtClient(URI server, SSLContext tls) {
    this.api = server.resolve("/api/v1/");
    this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(TIMEOUT).build();
  }

  /** {@code GET /api/v1/info}: public facts about the installation, including its CA chain. */
  public InfoResponse info() throws IOException, InterruptedException, RedoubtApiException {
    return get("info", null, InfoResponse.class);
  }

  /** {@code GET /api/v1/me}: who the server takes the token's bearer to be. */
  public MeResponse me(AccessToken token)
      throws IOException, InterruptedException, RedoubtApiException {
    return get("me", token, MeResponse.class);
  }

  private <T> T get(String path, AccessToken token, Class<T> type)
      throws IOException, InterruptedException, RedoubtApiException {
    var request =
        HttpRequest.newBuilder(api.resolve(path))
            .timeout(TIMEOUT)
            .header("Accept", "application/json");
    if (token != null) {
      request.header("Authorization", token.authorization());
    }
    HttpResponse<String> response =
        http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw problem(response);
    }
    return Json.MAPPER.readValue(response.body(), type);
  }

  private static RedoubtApiException problem(HttpResponse<String> response) {
    String type = null;
    String detail = null;
    try {
      JsonNode body = Json.MAPPER.readTree(response.body());
      type = body.path("type").asText(null);
      detail = body.path("detail").asText(body.path("title").asText(null));
    } catch (IOException notJson) {
      detail = "the server answered without a problem body";
    }
    return new RedoubtApiException(response.statusCode(), type, detail);
  }
}
