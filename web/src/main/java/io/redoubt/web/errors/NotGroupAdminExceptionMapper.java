package io.redoubt.web.errors;

import io.redoubt.messaging.NotGroupAdminException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 403: only group admins may do this. */
@Provider
public class NotGroupAdminExceptionMapper implements ExceptionMapper<NotGroupAdminException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(NotGroupAdminException exception) {
    return Problem.of(403, "not-group-admin", exception.getMessage(), ProblemPaths.of(uri))
        .toResponse();
  }
}
