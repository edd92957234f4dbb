package io.redoubt.web.errors;

import io.redoubt.messaging.UnknownBlobException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 404: no such blob, or not one the caller may read ({@link UnknownBlobException}). */
@Provider
public class UnknownBlobExceptionMapper implements ExceptionMapper<UnknownBlobException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(UnknownBlobException exception) {
    return Problem.of(404, "unknown-blob", exception.getMessage(), ProblemPaths.of(uri))
        .toResponse();
  }
}
