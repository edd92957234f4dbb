package io.redoubt.protocol.api;

import java.util.List;

/**
 * A JSON text frame on the {@code /ws} socket. The device's first frame is {@code hello} with a
 * {@code ticket} from {@code POST /api/v1/devices/{id}/socket-tickets}, or the resumption ticket of
 * the device's previous socket; the server answers {@code ready} with a resumption {@code ticket}
 * for the next socket (single-use, secret: kept in memory only). From the server then: {@code item}
 * (a queue item), {@code accepted} (an envelope sent over the socket is stored: {@code requestId},
 * {@code accepted}), {@code error} ({@code requestId} if any, {@code problem}). From the device:
 * {@code ack} ({@code seqs}) and {@code send} ({@code requestId}, {@code conversationId}, {@code
 * envelope}).
 */
public record SocketFrame(
    String type,
    String ticket,
    String requestId,
    QueueItem item,
    List<Long> seqs,
    String conversationId,
    EnvelopeMessage envelope,
    MessageAccepted accepted,
    SocketProblem problem) {

  /**
   * A problem answered on the socket, shaped as the REST problem body.
   *
   * @param retryAfter the seconds after which the send may be tried again, where the REST answer
   *     would carry them in {@code Retry-After} (429, 503); null otherwise
   */
  public record SocketProblem(
      String type, String title, int status, String detail, Long retryAfter) {}
}
