package io.redoubt.web.errors;

import io.redoubt.messaging.MessageIdReusedException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409: the message id is stored with another envelope. */
@Provider
public class MessageIdReusedExceptionMapper implements ExceptionMapper<MessageIdReusedException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(MessageIdReusedException exception) {
    return Problem.of(409, "message-id-reused", exception.getMessage(), ProblemPaths.of(uri))
        .toResponse();
  }
}
