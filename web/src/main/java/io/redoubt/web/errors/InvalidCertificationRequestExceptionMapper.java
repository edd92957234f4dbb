package io.redoubt.web.errors;

import io.redoubt.devices.InvalidCertificationRequestException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 400: {@link InvalidCertificationRequestException}; the detail is the exception's own sentence for
 * the caller.
 */
@Provider
public class InvalidCertificationRequestExceptionMapper
    implements ExceptionMapper<InvalidCertificationRequestException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(InvalidCertificationRequestException exception) {
    return Problem.ofStatus(400, exception.getMessage() + ".", ProblemPaths.of(uri)).toResponse();
  }
}
