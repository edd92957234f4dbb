package io.redoubt.web.errors;

import io.redoubt.transparency.InvalidLogRangeException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 400: a transparency-log query that no log could answer. Its message names only the inputs. */
@Provider
public class InvalidLogRangeExceptionMapper implements ExceptionMapper<InvalidLogRangeException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(InvalidLogRangeException exception) {
    return Problem.ofStatus(400, exception.getMessage(), ProblemPaths.of(uri)).toResponse();
  }
}
