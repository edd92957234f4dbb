package io.redoubt.web.errors;

import io.redoubt.keys.InvalidCaCertificateException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 400: {@link InvalidCaCertificateException}; the detail names the check the offered chain failed
 * (it speaks of certificates the administrator sent, never of server internals).
 */
@Provider
public class InvalidCaCertificateExceptionMapper
    implements ExceptionMapper<InvalidCaCertificateException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(InvalidCaCertificateException exception) {
    return Problem.ofStatus(400, exception.getMessage() + ".", ProblemPaths.of(uri)).toResponse();
  }
}
