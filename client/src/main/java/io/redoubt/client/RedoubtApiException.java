package io.redoubt.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * The server refused a request. Carries the RFC 9457 problem the server sent, so that callers can
 * branch on {@link #problemType()} rather than parse the message.
 */
public class RedoubtApiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String problemType;

  public RedoubtApiException(int status, String problemType, String message) {
    super("HTTP " + status + (message == null ? "" : ": " + message));
    this.status = status;
    this.problemType = problemType;
  }

  /** The refusal a response with {@code status} and (problem) {@code body} describes. */
  public static RedoubtApiException fromProblem(int status, String body) {
    String type = null;
    String detail = null;
    try {
      JsonNode problem = Json.MAPPER.readTree(body);
      type = problem.path("type").asText(null);
      detail = problem.path("detail").asText(problem.path("title").asText(null));
    } catch (IOException notJson) {
      detail = "the server answered without a problem body";
    }
    return new RedoubtApiException(status, type, detail);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The problem's {@code type} URN, e.g. {@code urn:redoubt:problem:unauthorized}; may be null. */
  public String problemType() {
    return problemType;
  }
}
