package io.redoubt.web.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 400: {@link BadInputException}, with its own sentence. */
@Provider
public class BadInputExceptionMapper implements ExceptionMapper<BadInputException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(BadInputException exception) {
    return Problem.of(400, "bad-input", exception.getMessage(), ProblemPaths.of(uri)).toResponse();
  }
}
