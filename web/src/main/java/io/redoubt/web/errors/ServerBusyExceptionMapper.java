package io.redoubt.web.errors;

import io.redoubt.web.messaging.ServerBusyException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 503 with {@code Retry-After}: the node's queue of writes for the database is full. */
@Provider
public class ServerBusyExceptionMapper implements ExceptionMapper<ServerBusyException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(ServerBusyException exception) {
    return Response.fromResponse(
            Problem.of(503, "server-busy", exception.getMessage(), ProblemPaths.of(uri))
                .toResponse())
        .header(HttpHeaders.RETRY_AFTER, Long.toString(ServerBusyException.RETRY_AFTER_SECONDS))
        .build();
  }
}
