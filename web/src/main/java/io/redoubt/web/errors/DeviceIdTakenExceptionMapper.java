package io.redoubt.web.errors;

import io.redoubt.devices.DeviceIdTakenException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 409: {@link DeviceIdTakenException}; the detail is the exception's own sentence for the caller.
 */
@Provider
public class DeviceIdTakenExceptionMapper implements ExceptionMapper<DeviceIdTakenException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(DeviceIdTakenException exception) {
    return Problem.ofStatus(409, exception.getMessage() + ".", ProblemPaths.of(uri)).toResponse();
  }
}
