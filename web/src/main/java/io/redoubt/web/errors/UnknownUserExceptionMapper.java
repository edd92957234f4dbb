package io.redoubt.web.errors;

import io.redoubt.directory.UnknownUserException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 404 (nobody by that name has a device here): {@link UnknownUserException}; the detail is the
 * exception's own sentence.
 */
@Provider
public class UnknownUserExceptionMapper implements ExceptionMapper<UnknownUserException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(UnknownUserException exception) {
    return Problem.ofStatus(404, exception.getMessage() + ".", ProblemPaths.of(uri)).toResponse();
  }
}
