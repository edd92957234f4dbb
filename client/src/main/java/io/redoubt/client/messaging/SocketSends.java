package io.redoubt.client.messaging;

import io.redoubt.client.RedoubtApiException;
import io.redoubt.protocol.api.MessageAccepted;
import io.redoubt.protocol.api.SocketFrame;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code send} frames of one socket that the server has not answered yet, by request id. The
 * server answers each with {@code accepted} or {@code error} carrying the same {@code requestId},
 * in any order (a send waits for its group commit; an error may come at once), so answers are
 * matched by id, not by position.
 *
 * <p>When the socket closes, every unanswered send fails with an {@link IOException}: the envelope
 * may or may not have been stored, exactly as when an HTTP connection drops after the request was
 * written. Sending the same envelope again (over REST or another socket) is safe, because the
 * server stores a message id once.
 */
final class SocketSends {

  private final Map<String, CompletableFuture<MessageAccepted>> unanswered =
      new ConcurrentHashMap<>();
  private volatile String closedBecause;

  /** A new request id and the answer it will get; already failed if the socket closed. */
  Pending register() {
    String requestId = UUID.randomUUID().toString();
    CompletableFuture<MessageAccepted> answer = new CompletableFuture<>();
    unanswered.put(requestId, answer);
    // Checked after the put: a close between the two fails it either here or in closed().
    String why = closedBecause;
    if (why != null) {
      fail(requestId, new IOException("the socket closed: " + why));
    }
    return new Pending(requestId, answer);
  }

  /**
   * Completes the send {@code frame} answers, if it answers one of ours: an {@code accepted} frame
   * with what the server stored, an {@code error} frame with the problem as a {@link
   * RedoubtApiException} (status and problem type as over REST).
   *
   * @return whether the frame answered a send of ours
   */
  boolean answer(SocketFrame frame) {
    if (frame.requestId() == null) {
      return false;
    }
    CompletableFuture<MessageAccepted> answer = unanswered.remove(frame.requestId());
    if (answer == null) {
      return false;
    }
    if ("accepted".equals(frame.type()) && frame.accepted() != null) {
      answer.complete(frame.accepted());
    } else if ("error".equals(frame.type()) && frame.problem() != null) {
      SocketFrame.SocketProblem problem = frame.problem();
      answer.completeExceptionally(
          new RedoubtApiException(
              problem.status(),
              problem.type(),
              problem.detail() != null ? problem.detail() : problem.title(),
              problem.retryAfter() == null || problem.retryAfter() < 0
                  ? null
                  : Duration.ofSeconds(problem.retryAfter())));
    } else {
      answer.completeExceptionally(
          new IOException("the server answered a send with a " + frame.type() + " frame"));
    }
    return true;
  }

  /** The write of {@code requestId}'s frame failed: it was never sent. */
  void fail(String requestId, IOException cause) {
    CompletableFuture<MessageAccepted> answer = unanswered.remove(requestId);
    if (answer != null) {
      answer.completeExceptionally(cause);
    }
  }

  /** The socket closed: every unanswered send fails, and so does every later one. */
  void closed(String why) {
    closedBecause = why;
    for (String requestId : unanswered.keySet()) {
      fail(requestId, new IOException("the socket closed before the server answered: " + why));
    }
  }

  /** How many sends wait for their answer. */
  int unansweredCount() {
    return unanswered.size();
  }

  /** A send frame's request id and its answer. */
  record Pending(String requestId, CompletableFuture<MessageAccepted> answer) {}
}
