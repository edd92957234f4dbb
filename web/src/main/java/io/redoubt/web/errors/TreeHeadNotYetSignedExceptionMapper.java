package io.redoubt.web.errors;

import io.redoubt.transparency.TreeHeadNotYetSignedException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 503 with {@code Retry-After: 1}: a head is signed within a second when the HSM answers. */
@Provider
public class TreeHeadNotYetSignedExceptionMapper
    implements ExceptionMapper<TreeHeadNotYetSignedException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(TreeHeadNotYetSignedException exception) {
    return Response.fromResponse(
            Problem.ofStatus(503, exception.getMessage(), ProblemPaths.of(uri)).toResponse())
        .header(HttpHeaders.RETRY_AFTER, "1")
        .build();
  }
}
