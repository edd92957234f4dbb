package io.redoubt.web.errors;

import io.redoubt.messaging.ConversationRuleException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 400: a conversation request that breaks a rule; the detail names it. */
@Provider
public class ConversationRuleExceptionMapper implements ExceptionMapper<ConversationRuleException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(ConversationRuleException exception) {
    return Problem.of(400, "conversation-rule", exception.getMessage(), ProblemPaths.of(uri))
        .toResponse();
  }
}
