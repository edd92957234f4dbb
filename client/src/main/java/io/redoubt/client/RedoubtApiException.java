package io.redoubt.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;

/**
 * The server refused a request. Carries the RFC 9457 problem the server sent, so that callers can
 * branch on {@link #problemType()} rather than parse the message.
 */
public class RedoubtApiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String problemType;
  private final Duration retryAfter;

  public RedoubtApiException(int status, String problemType, String message) {
    this(status, problemType, message, null);
  }

  /**
   * @param retryAfter when the server said the request may be tried again (429, 503), or null
   */
  public RedoubtApiException(int status, String problemType, String message, Duration retryAfter) {
    super("HTTP " + status + (message == null ? "" : ": " + message));
    this.status = status;
    this.problemType = problemType;
    this.retryAfter = retryAfter;
  }

  /**
   * The refusal a response with {@code status}, {@code headers} and (problem) {@code body}
   * describes, with its {@code Retry-After} in seconds if it has one.
   */
  public static RedoubtApiException fromProblem(int status, HttpHeaders headers, String body) {
    String type = null;
    String detail = null;
    try {
      JsonNode problem = Json.MAPPER.readTree(body);
      type = problem.path("type").asText(null);
      detail = problem.path("detail").asText(problem.path("title").asText(null));
    } catch (IOException notJson) {
      detail = "the server answered without a problem body";
    }
    return new RedoubtApiException(status, type, detail, retryAfter(headers).orElse(null));
  }

  /**
   * A {@code Retry-After} of delta-seconds, as the server sends it; the HTTP-date form, which it
   * never sends, and anything malformed count as absent.
   */
  static Optional<Duration> retryAfter(HttpHeaders headers) {
    return headers
        .firstValue("Retry-After")
        .filter(value -> value.matches("[0-9]{1,9}"))
        .map(value -> Duration.ofSeconds(Long.parseLong(value)));
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The problem's {@code type} URN, e.g. {@code urn:redoubt:problem:unauthorized}; may be null. */
  public String problemType() {
    return problemType;
  }

  /**
   * How long the server asked the client to wait before trying again: over REST its {@code
   * Retry-After}, over the socket the problem's {@code retryAfter}. Empty when it said nothing.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
