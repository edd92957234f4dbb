package io.redoubt.web.errors;

import io.redoubt.messaging.BlobTooLargeException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 413 for an upload past the blob limit. {@code Connection: close}: the server stopped reading the
 * body, and the rest of it must not be read (drained) just to keep the connection alive.
 */
@Provider
public class BlobTooLargeExceptionMapper implements ExceptionMapper<BlobTooLargeException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(BlobTooLargeException exception) {
    return Response.fromResponse(
            Problem.of(413, "blob-too-large", exception.getMessage(), ProblemPaths.of(uri))
                .toResponse())
        .header("Connection", "close")
        .build();
  }
}
