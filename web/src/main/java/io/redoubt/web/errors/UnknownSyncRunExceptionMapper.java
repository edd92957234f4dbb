package io.redoubt.web.errors;

import io.redoubt.directory.UnknownSyncRunException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 404 (no such run, or not a held one): {@link UnknownSyncRunException}. */
@Provider
public class UnknownSyncRunExceptionMapper implements ExceptionMapper<UnknownSyncRunException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(UnknownSyncRunException exception) {
    return Problem.ofStatus(404, exception.getMessage() + ".", ProblemPaths.of(uri)).toResponse();
  }
}
