package io.redoubt.web.errors;

import io.redoubt.prekeys.PrekeyStockFullException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 409 (the device already holds as many one-time prekeys as allowed): {@link
 * PrekeyStockFullException}; the detail is the exception's own sentence.
 */
@Provider
public class PrekeyStockFullExceptionMapper implements ExceptionMapper<PrekeyStockFullException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(PrekeyStockFullException exception) {
    return Problem.ofStatus(409, exception.getMessage() + ".", ProblemPaths.of(uri)).toResponse();
  }
}
