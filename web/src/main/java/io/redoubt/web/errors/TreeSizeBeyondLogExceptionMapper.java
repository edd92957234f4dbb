package io.redoubt.web.errors;

import io.redoubt.transparency.TreeSizeBeyondLogException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 404: the log has no tree of the requested size (yet); the detail gives the current size. */
@Provider
public class TreeSizeBeyondLogExceptionMapper
    implements ExceptionMapper<TreeSizeBeyondLogException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(TreeSizeBeyondLogException exception) {
    return Problem.ofStatus(404, exception.getMessage() + ".", ProblemPaths.of(uri)).toResponse();
  }
}
