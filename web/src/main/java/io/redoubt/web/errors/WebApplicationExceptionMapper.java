package io.redoubt.web.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Turns JAX-RS's own errors (unknown path, wrong method, unsupported media type, malformed body, a
 * denied role) into problem bodies, keeping their status and headers such as {@code Allow}.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(WebApplicationException exception) {
    Response original = exception.getResponse();
    int status = original.getStatus();
    String path = uri == null ? null : uri.getRequestUri().getRawPath();
    if (status >= 500) {
      return UnexpectedExceptionMapper.serverFault(exception, path);
    }
    Response.ResponseBuilder builder =
        Response.fromResponse(Problem.ofStatus(status, path).toResponse());
    original
        .getHeaders()
        .forEach(
            (name, values) -> {
              if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
                values.forEach(value -> builder.header(name, value));
              }
            });
    if (status == 401 && original.getHeaderString(HttpHeaders.WWW_AUTHENTICATE) == null) {
      builder.header(HttpHeaders.WWW_AUTHENTICATE, BearerChallenge.VALUE);
    }
    return builder.build();
  }
}
