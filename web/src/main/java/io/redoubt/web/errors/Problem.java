package io.redoubt.web.errors;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem detail. {@code type} is a stable URN per kind of problem, so that clients can
 * branch on it without parsing {@code detail}.
 *
 * @param incident set for server faults only: the id under which the fault was logged
 */
@JsonbPropertyOrder({"type", "title", "status", "detail", "instance", "incident"})
@JsonbNillable(false)
public record Problem(
    String type, String title, int status, String detail, String instance, String incident) {

  /** The media type of every error body. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** A problem for a client error with the fixed sentence for its status. */
  public static Problem ofStatus(int status, String instance) {
    return ofStatus(status, defaultDetail(status), instance);
  }

  /**
   * Client-facing details are fixed sentences, never exception messages from the framework, which
   * can leak class names or input back to the caller.
   */
  static String defaultDetail(int status) {
    return switch (status) {
      case 400 -> "The request is malformed.";
      case 401 -> "A valid bearer token is required.";
      case 403 -> "You are not allowed to do this.";
      case 404 -> "There is nothing here.";
      case 405 -> "This method is not allowed here.";
      case 406 -> "No acceptable representation.";
      case 413 -> "The request body is too large.";
      case 415 -> "Unsupported media type.";
      default -> null;
    };
  }

  /** A problem whose type is derived from the HTTP status alone. */
  public static Problem ofStatus(int status, String detail, String instance) {
    Response.Status known = Response.Status.fromStatusCode(status);
    String title = known == null ? "HTTP " + status : known.getReasonPhrase();
    return new Problem(typeFor(status), title, status, detail, instance, null);
  }

  /**
   * A problem of a specific kind: {@code urn:redoubt:problem:<slug>}, the status's title, and a
   * detail that is our own sentence (never a framework's message).
   */
  public static Problem of(int status, String slug, String detail, String instance) {
    Response.Status known = Response.Status.fromStatusCode(status);
    String title = known == null ? "HTTP " + status : known.getReasonPhrase();
    return new Problem("urn:redoubt:problem:" + slug, title, status, detail, instance, null);
  }

  /** {@code urn:redoubt:problem:<slug>}, with a slug derived from the status' reason phrase. */
  static String typeFor(int status) {
    Response.Status known = Response.Status.fromStatusCode(status);
    String slug =
        known == null
            ? "http-" + status
            : known.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
    return "urn:redoubt:problem:" + slug;
  }

  /** A 500 problem for a fault logged under {@code incident}; says nothing of the cause. */
  public static Problem serverFault(String incident, String instance) {
    return new Problem(
        typeFor(500),
        "Internal Server Error",
        500,
        "The server failed. Quote the incident id to your administrator.",
        instance,
        incident);
  }

  /** This problem as a JAX-RS response with the problem media type. */
  public Response toResponse() {
    return Response.status(status).type(MEDIA_TYPE).entity(this).build();
  }
}
