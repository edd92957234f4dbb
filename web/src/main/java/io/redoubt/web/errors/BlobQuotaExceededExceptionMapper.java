package io.redoubt.web.errors;

import io.redoubt.messaging.BlobQuotaExceededException;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 413 for an upload that does not fit in what is left of the user's blob quota, with the allowance
 * and the usage as extension members so that a client can tell the user without parsing the detail.
 * 413 rather than 507: the refusal is about this user's request, which a smaller one (or one after
 * some blobs were released) would pass, not about the server's storage, and a 5xx would count
 * against the server in every monitor and invite automatic retries of the same upload. {@code
 * Connection: close}, as for {@code blob-too-large}: reading may have stopped mid-body.
 */
@Provider
public class BlobQuotaExceededExceptionMapper
    implements ExceptionMapper<BlobQuotaExceededException> {

  /** The problem type. */
  public static final String TYPE = "urn:redoubt:problem:blob-quota-exceeded";

  @Context UriInfo uri;

  @Override
  public Response toResponse(BlobQuotaExceededException exception) {
    return Response.status(413)
        .type(Problem.MEDIA_TYPE)
        .entity(
            new QuotaProblem(
                TYPE,
                Response.Status.REQUEST_ENTITY_TOO_LARGE.getReasonPhrase(),
                413,
                exception.getMessage(),
                ProblemPaths.of(uri),
                exception.allowance(),
                exception.used()))
        .header("Connection", "close")
        .build();
  }

  /** The problem body with its two extension members (RFC 9457 §3.2), in bytes. */
  @JsonbPropertyOrder({
    "type",
    "title",
    "status",
    "detail",
    "instance",
    "allowanceBytes",
    "usedBytes"
  })
  public record QuotaProblem(
      String type,
      String title,
      int status,
      String detail,
      String instance,
      long allowanceBytes,
      long usedBytes) {}
}
