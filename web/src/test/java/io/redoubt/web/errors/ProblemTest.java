package io.redoubt.web.errors;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.bind.JsonbBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProblemTest {

  @ParameterizedTest
  @CsvSource({
    "400, urn:redoubt:problem:bad-request, Bad Request",
    "401, urn:redoubt:problem:unauthorized, Unauthorized",
    "403, urn:redoubt:problem:forbidden, Forbidden",
    "404, urn:redoubt:problem:not-found, Not Found",
    "415, urn:redoubt:problem:unsupported-media-type, Unsupported Media Type",
    "429, urn:redoubt:problem:too-many-requests, Too Many Requests",
    "422, urn:redoubt:problem:http-422, HTTP 422",
  })
  void typeAndTitleFollowTheStatus(int status, String type, String title) {
    Problem problem = Problem.ofStatus(status, "/api/v1/x");

    assertThat(problem.type()).isEqualTo(type);
    assertThat(problem.title()).isEqualTo(title);
    assertThat(problem.status()).isEqualTo(status);
    assertThat(problem.instance()).isEqualTo("/api/v1/x");
  }

  @Test
  void serializesAsRfc9457WithoutEmptyMembers() throws Exception {
    try (var jsonb = JsonbBuilder.create()) {
      String json = jsonb.toJson(Problem.ofStatus(401, "/api/v1/me"));

      assertThat(json)
          .isEqualTo(
              "{\"type\":\"urn:redoubt:problem:unauthorized\",\"title\":\"Unauthorized\","
                  + "\"status\":401,\"detail\":\"A valid bearer token is required.\","
                  + "\"instance\":\"/api/v1/me\"}");
    }
  }

  @Test
  void serverFaultsCarryAnIncidentAndNoCause() {
    Problem problem = Problem.serverFault("abc-123", "/api/v1/info");

    assertThat(problem.status()).isEqualTo(500);
    assertThat(problem.incident()).isEqualTo("abc-123");
    assertThat(problem.detail()).doesNotContain("Exception");
  }
}
