package io.redoubt.web.errors;

import io.redoubt.messaging.EnvelopeRejectedException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** An envelope refused before anything was stored; status and type from its reason. */
@Provider
public class EnvelopeRejectedExceptionMapper implements ExceptionMapper<EnvelopeRejectedException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(EnvelopeRejectedException exception) {
    return Problem.of(
            exception.reason().status(),
            exception.reason().slug(),
            exception.getMessage(),
            ProblemPaths.of(uri))
        .toResponse();
  }
}
