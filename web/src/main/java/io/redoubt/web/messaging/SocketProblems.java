package io.redoubt.web.messaging;

import io.redoubt.messaging.EnvelopeRejectedException;
import io.redoubt.messaging.MessageIdReusedException;
import io.redoubt.messaging.RecipientMismatchException;
import io.redoubt.messaging.RecipientQueueFullException;
import io.redoubt.messaging.UnknownConversationException;
import io.redoubt.protocol.api.SocketFrame.SocketProblem;
import io.redoubt.protocol.envelope.InvalidEnvelopeException;
import io.redoubt.web.errors.EnvelopeRejectedExceptionMapper;
import io.redoubt.web.errors.InvalidEnvelopeExceptionMapper;
import io.redoubt.web.errors.MessageIdReusedExceptionMapper;
import io.redoubt.web.errors.Problem;
import io.redoubt.web.errors.RateLimitedExceptionMapper;
import io.redoubt.web.errors.RecipientMismatchExceptionMapper;
import io.redoubt.web.errors.RecipientMismatchExceptionMapper.MismatchProblem;
import io.redoubt.web.errors.RecipientQueueFullExceptionMapper;
import io.redoubt.web.errors.ServerBusyExceptionMapper;
import io.redoubt.web.errors.UnknownConversationExceptionMapper;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The problem a socket answers for a failed {@code send}: the REST endpoint's own exception mappers
 * make it, so both paths give the same type, status and sentence and a client handles them alike. A
 * socket frame has no {@code instance} (there is no request path) and no headers: a {@code
 * Retry-After} the REST answer would carry is the problem's {@code retryAfter}.
 */
final class SocketProblems {

  private static final SocketProblem INTERNAL =
      new SocketProblem(
          "urn:redoubt:problem:internal-server-error",
          "Internal Server Error",
          500,
          "The server failed to take this message; it was not stored.",
          null);

  private SocketProblems() {}

  static SocketProblem of(Exception failure) {
    Response mapped = mapped(failure);
    if (mapped == null) {
      return INTERNAL;
    }
    Object body = mapped.getEntity();
    if (body instanceof MismatchProblem mismatch) {
      return new SocketProblem(
          mismatch.type(),
          mismatch.title(),
          mismatch.status(),
          mismatch.detail()
              + " Missing: "
              + mismatch.missingDevices()
              + "; not in the conversation: "
              + mismatch.unexpectedDevices(),
          null);
    }
    Problem problem = (Problem) body;
    return new SocketProblem(
        problem.type(), problem.title(), problem.status(), problem.detail(), retryAfter(mapped));
  }

  /** The seconds of the mapped response's {@code Retry-After}, or null without one. */
  private static Long retryAfter(Response mapped) {
    Object value = mapped.getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
    return value == null ? null : Long.valueOf(value.toString());
  }

  /** The REST response for the failures a send can end in; null for any other (a fault). */
  private static Response mapped(Exception failure) {
    if (failure instanceof EnvelopeRejectedException rejected) {
      return new EnvelopeRejectedExceptionMapper().toResponse(rejected);
    }
    if (failure instanceof InvalidEnvelopeException invalid) {
      return new InvalidEnvelopeExceptionMapper().toResponse(invalid);
    }
    if (failure instanceof UnknownConversationException unknown) {
      return new UnknownConversationExceptionMapper().toResponse(unknown);
    }
    if (failure instanceof RecipientMismatchException mismatch) {
      return new RecipientMismatchExceptionMapper().toResponse(mismatch);
    }
    if (failure instanceof MessageIdReusedException reused) {
      return new MessageIdReusedExceptionMapper().toResponse(reused);
    }
    if (failure instanceof RateLimitedException limited) {
      return new RateLimitedExceptionMapper().toResponse(limited);
    }
    if (failure instanceof RecipientQueueFullException full) {
      return new RecipientQueueFullExceptionMapper().toResponse(full);
    }
    if (failure instanceof ServerBusyException busy) {
      return new ServerBusyExceptionMapper().toResponse(busy);
    }
    return null;
  }
}
