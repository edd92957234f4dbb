package io.redoubt.web.errors;

import io.redoubt.protocol.prekeys.InvalidPrekeyException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 400 (the request's prekeys are refused): {@link InvalidPrekeyException}; the detail is the
 * exception's own sentence.
 */
@Provider
public class InvalidPrekeyExceptionMapper implements ExceptionMapper<InvalidPrekeyException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(InvalidPrekeyException exception) {
    return Problem.ofStatus(400, exception.getMessage() + ".", ProblemPaths.of(uri)).toResponse();
  }
}
