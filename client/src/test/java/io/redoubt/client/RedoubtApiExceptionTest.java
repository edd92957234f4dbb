package io.redoubt.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedoubtApiExceptionTest {

  private static final String RATE_LIMITED =
      "{\"type\":\"urn:redoubt:problem:rate-limited\",\"title\":\"Too Many Requests\","
          + "\"status\":429,\"detail\":\"Too many messages; try again in 3 s.\"}";

  private static HttpHeaders headers(Map<String, List<String>> values) {
    return HttpHeaders.of(values, (name, value) -> true);
  }

  @Test
  void aProblemWithRetryAfterSaysHowLongToWait() {
    RedoubtApiException refused =
        RedoubtApiException.fromProblem(
            429, headers(Map.of("Retry-After", List.of("3"))), RATE_LIMITED);

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.problemType()).isEqualTo("urn:redoubt:problem:rate-limited");
    assertThat(refused.getMessage()).contains("try again in 3 s");
    assertThat(refused.retryAfter()).contains(Duration.ofSeconds(3));
  }

  @Test
  void withoutARetryAfterInSecondsThereIsNoWait() {
    assertThat(RedoubtApiException.fromProblem(429, headers(Map.of()), RATE_LIMITED).retryAfter())
        .isEmpty();
    // The HTTP-date form, which the server never sends, and garbage count as absent.
    for (String value : List.of("Wed, 21 Oct 2026 07:28:00 GMT", "-1", "soon", "9999999999999")) {
      assertThat(
              RedoubtApiException.fromProblem(
                      429, headers(Map.of("Retry-After", List.of(value))), RATE_LIMITED)
                  .retryAfter())
          .as(value)
          .isEmpty();
    }
  }

  @Test
  void aBodyThatIsNoProblemIsSaidSo() {
    RedoubtApiException refused =
        RedoubtApiException.fromProblem(502, headers(Map.of()), "<html>Bad Gateway</html>");

    assertThat(refused.problemType()).isNull();
    assertThat(refused.getMessage()).contains("without a problem body");
  }
}
