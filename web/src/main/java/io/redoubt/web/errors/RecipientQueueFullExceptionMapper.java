package io.redoubt.web.errors;

import io.redoubt.messaging.RecipientQueueFullException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 503 with {@code Retry-After}: some recipients' queues are full of unexpired items. Nothing was
 * stored; the sender is told rather than anything being dropped.
 */
@Provider
public class RecipientQueueFullExceptionMapper
    implements ExceptionMapper<RecipientQueueFullException> {

  /** A minute: recipients come online and drain, or the sweeper expires their backlog. */
  static final String RETRY_AFTER_SECONDS = "60";

  @Context UriInfo uri;

  @Override
  public Response toResponse(RecipientQueueFullException exception) {
    return Response.fromResponse(
            Problem.of(503, "recipient-queue-full", exception.getMessage(), ProblemPaths.of(uri))
                .toResponse())
        .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
        .build();
  }
}
