package io.redoubt.web.errors;

import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A request body that is not JSON, or not JSON of the expected shape, is the client's error (400);
 * JAX-RS reports it as a {@link ProcessingException} around the JSON-B failure. So is a body that
 * passed {@link RequestBodyLimit} while it was read (413). Any other processing failure is the
 * server's.
 */
@Provider
public class ProcessingExceptionMapper implements ExceptionMapper<ProcessingException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(ProcessingException exception) {
    for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
      if (cause instanceof RequestBodyLimit.TooLargeException) {
        return RequestBodyLimit.tooLarge(ProblemPaths.of(uri)).toResponse();
      }
    }
    if (causedByJson(exception)) {
      return Problem.ofStatus(
              400, "The request body is not valid JSON for this endpoint.", ProblemPaths.of(uri))
          .toResponse();
    }
    return UnexpectedExceptionMapper.serverFault(exception, ProblemPaths.of(uri));
  }

  private static boolean causedByJson(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof JsonbException || cause instanceof JsonException) {
        return true;
      }
    }
    return false;
  }
}
