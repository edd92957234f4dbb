package io.redoubt.web.errors;

import io.redoubt.messaging.UnknownConversationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 404: no such conversation, or the caller is not a member ({@link UnknownConversationException}).
 */
@Provider
public class UnknownConversationExceptionMapper
    implements ExceptionMapper<UnknownConversationException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(UnknownConversationException exception) {
    return Problem.of(404, "unknown-conversation", exception.getMessage(), ProblemPaths.of(uri))
        .toResponse();
  }
}
