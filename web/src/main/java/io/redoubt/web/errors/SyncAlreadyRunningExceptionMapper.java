package io.redoubt.web.errors;

import io.redoubt.directory.SyncAlreadyRunningException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409 (runs never overlap; try again when it is done): {@link SyncAlreadyRunningException}. */
@Provider
public class SyncAlreadyRunningExceptionMapper
    implements ExceptionMapper<SyncAlreadyRunningException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(SyncAlreadyRunningException exception) {
    return Problem.ofStatus(409, exception.getMessage() + ".", ProblemPaths.of(uri)).toResponse();
  }
}
