package io.redoubt.web.errors;

import io.redoubt.messaging.RecipientMismatchException;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * 409: the envelope's recipients are not the conversation's active devices. The problem lists the
 * devices missing and those that are not recipients, so the client can fix the set and seal again.
 */
@Provider
public class RecipientMismatchExceptionMapper
    implements ExceptionMapper<RecipientMismatchException> {

  /** The problem type. */
  public static final String TYPE = "urn:redoubt:problem:recipient-mismatch";

  @Context UriInfo uri;

  @Override
  public Response toResponse(RecipientMismatchException exception) {
    return Response.status(409)
        .type(Problem.MEDIA_TYPE)
        .entity(
            new MismatchProblem(
                TYPE,
                "Conflict",
                409,
                exception.getMessage(),
                ProblemPaths.of(uri),
                exception.missingDevices(),
                exception.unexpectedDevices()))
        .build();
  }

  /** The problem body with its two extension members (RFC 9457 §3.2). */
  @JsonbPropertyOrder({
    "type",
    "title",
    "status",
    "detail",
    "instance",
    "missingDevices",
    "unexpectedDevices"
  })
  public record MismatchProblem(
      String type,
      String title,
      int status,
      String detail,
      String instance,
      List<String> missingDevices,
      List<String> unexpectedDevices) {}
}
