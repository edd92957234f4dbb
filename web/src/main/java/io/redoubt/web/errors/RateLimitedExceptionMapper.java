package io.redoubt.web.errors;

import io.redoubt.web.messaging.RateLimitedException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 429 with {@code Retry-After}: a device or user over a rate limit. Nothing was done. */
@Provider
public class RateLimitedExceptionMapper implements ExceptionMapper<RateLimitedException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(RateLimitedException exception) {
    return Response.fromResponse(
            Problem.of(429, "rate-limited", exception.getMessage(), ProblemPaths.of(uri))
                .toResponse())
        .header(HttpHeaders.RETRY_AFTER, Long.toString(exception.retryAfterSeconds()))
        .build();
  }
}
