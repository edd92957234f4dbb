package io.redoubt.web.errors;

import io.redoubt.protocol.envelope.InvalidEnvelopeException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 400: an envelope with a missing or malformed field; the detail names it. */
@Provider
public class InvalidEnvelopeExceptionMapper implements ExceptionMapper<InvalidEnvelopeException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(InvalidEnvelopeException exception) {
    return Problem.of(400, "malformed-envelope", exception.getMessage(), ProblemPaths.of(uri))
        .toResponse();
  }
}
