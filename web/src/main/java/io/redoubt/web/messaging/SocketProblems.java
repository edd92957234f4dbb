package io.redoubt.web.messaging;

import io.redoubt.messaging.EnvelopeRejectedException;
import io.redoubt.messaging.MessageIdReusedException;
import io.redoubt.messaging.RecipientMismatchException;
import io.redoubt.messaging.RecipientQueueFullException;
import io.redoubt.messaging.UnknownConversationException;
import io.redoubt.protocol.api.SocketFrame.SocketProblem;
import io.redoubt.protocol.envelope.InvalidEnvelopeException;

/**
 * The problem a socket answers for a failed {@code send}: the same type, status and sentence the
 * REST endpoint's exception mappers give, so that a client handles both paths alike.
 */
final class SocketProblems {

  private SocketProblems() {}

  static SocketProblem of(Exception failure) {
    if (failure instanceof EnvelopeRejectedException rejected) {
      return problem(rejected.reason().status(), rejected.reason().slug(), failure);
    }
    if (failure instanceof InvalidEnvelopeException) {
      return problem(400, "malformed-envelope", failure);
    }
    if (failure instanceof UnknownConversationException) {
      return problem(404, "unknown-conversation", failure);
    }
    if (failure instanceof RecipientMismatchException mismatch) {
      return new SocketProblem(
          "urn:redoubt:problem:recipient-mismatch",
          "Conflict",
          409,
          mismatch.getMessage()
              + " Missing: "
              + mismatch.missingDevices()
              + "; not in the conversation: "
              + mismatch.unexpectedDevices());
    }
    if (failure instanceof MessageIdReusedException) {
      return problem(409, "message-id-reused", failure);
    }
    if (failure instanceof RateLimitedException) {
      return problem(429, "rate-limited", failure);
    }
    if (failure instanceof RecipientQueueFullException) {
      return problem(503, "recipient-queue-full", failure);
    }
    return new SocketProblem(
        "urn:redoubt:problem:internal-server-error",
        "Internal Server Error",
        500,
        "The server failed to take this message; it was not stored.");
  }

  static SocketProblem problem(int status, String slug, Exception failure) {
    return new SocketProblem(
        "urn:redoubt:problem:" + slug, title(status), status, failure.getMessage());
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 413 -> "Request Entity Too Large";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> "HTTP " + status;
    };
  }
}
