package io.redoubt.web.errors;

import io.redoubt.devices.DeviceLimitReachedException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 409: {@link DeviceLimitReachedException}; the detail is the exception's own sentence for the
 * caller.
 */
@Provider
public class DeviceLimitReachedExceptionMapper
    implements ExceptionMapper<DeviceLimitReachedException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(DeviceLimitReachedException exception) {
    return Problem.ofStatus(409, exception.getMessage() + ".", ProblemPaths.of(uri)).toResponse();
  }
}
