package io.redoubt.web.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Server faults: 500 with an incident id, the cause logged under that id and never sent to the
 * caller. Business failures have their own mappers and never reach this one.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

  @Context UriInfo uri;

  @Override
  public Response toResponse(Throwable fault) {
    return serverFault(fault, uri == null ? null : uri.getRequestUri().getRawPath());
  }

  static Response serverFault(Throwable fault, String path) {
    String incident = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "Incident " + incident + " on " + path, fault);
    return Problem.serverFault(incident, path).toResponse();
  }
}
