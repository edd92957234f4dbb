package io.redoubt.web.errors;

import io.redoubt.devices.UnknownDeviceException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 404: {@link UnknownDeviceException}; the detail is the exception's own sentence for the caller.
 */
@Provider
public class UnknownDeviceExceptionMapper implements ExceptionMapper<UnknownDeviceException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(UnknownDeviceException exception) {
    return Problem.ofStatus(404, exception.getMessage() + ".", ProblemPaths.of(uri)).toResponse();
  }
}
