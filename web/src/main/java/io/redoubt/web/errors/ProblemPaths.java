package io.redoubt.web.errors;

import jakarta.ws.rs.core.UriInfo;

/** The {@code instance} of a problem: the request's raw path, without the query. */
final class ProblemPaths {

  private ProblemPaths() {}

  static String of(UriInfo uri) {
    return uri == null ? null : uri.getRequestUri().getRawPath();
  }
}
