package io.redoubt.client;

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

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The problem's {@code type} URN, e.g. {@code urn:redoubt:problem:unauthorized}; may be null. */
  public String problemType() {
    return problemType;
  }
}
