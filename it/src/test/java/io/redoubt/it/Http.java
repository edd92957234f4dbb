package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP against the server under test, for the black-box suites. */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Http() {}

  /** A request for {@code path} on the server under test. */
  static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(Lab.SERVER.resolve(path)).timeout(TIMEOUT);
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HttpClient.newBuilder()
        .sslContext(Lab.tls())
        .build()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GET {@code path}, with {@code bearer} as the token when it is not null. */
  static HttpResponse<String> get(String path, String bearer) throws Exception {
    var request = request(path).GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return send(request);
  }

  /**
   * Asserts an RFC 9457 problem answer with {@code status} in one shape (media type, status, title,
   * a Redoubt problem type) and returns its body for further checks.
   */
  static JsonNode assertProblem(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(value -> assertThat(value).startsWith("application/problem+json"));
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("title").asText()).isNotBlank();
    assertThat(problem.path("type").asText()).startsWith("urn:redoubt:problem:");
    return problem;
  }
}
