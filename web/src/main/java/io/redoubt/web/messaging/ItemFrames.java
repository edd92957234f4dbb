package io.redoubt.web.messaging;

import io.redoubt.messaging.DeviceQueues;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code item} frames for the socket, written around the stored JSON as it is. The envelope (or
 * control message) was stored in its canonical wire form, so parsing it only to write it out again
 * would cost the relay a JSON round trip per recipient and message for nothing. The frame is the
 * same {@link io.redoubt.protocol.api.SocketFrame} a JSON binding would write (the unit test holds
 * the two together); only the order of the fields differs, which JSON does not see.
 */
final class ItemFrames {

  /** One frame, with the sequence number of the item it carries. */
  record Frame(long seq, String text) {}

  private ItemFrames() {}

  static String envelope(long seq, Instant receivedAt, byte[] envelopeJson) {
    return item(seq, "envelope", receivedAt, "envelope", envelopeJson);
  }

  static String control(long seq, Instant enqueuedAt, byte[] controlJson) {
    return item(seq, "control", enqueuedAt, "control", controlJson);
  }

  /** A page of queue rows as frames; rows whose envelope is already gone are skipped. */
  static List<Frame> of(DeviceQueues.QueuePage page) {
    List<Frame> frames = new ArrayList<>(page.items().size());
    for (DeviceQueues.QueuePage.Item row : page.items()) {
      if (row.present()) {
        frames.add(
            new Frame(
                row.seq(),
                switch (row.kind()) {
                  case ENVELOPE -> envelope(row.seq(), row.at(), row.payload());
                  case CONTROL -> control(row.seq(), row.at(), row.payload());
                }));
      }
    }
    return frames;
  }

  private static String item(
      long seq, String kind, Instant at, String payloadField, byte[] payloadJson) {
    String payload = new String(payloadJson, StandardCharsets.UTF_8);
    return new StringBuilder(payload.length() + 120)
        .append("{\"type\":\"item\",\"item\":{\"seq\":")
        .append(seq)
        .append(",\"kind\":\"")
        .append(kind)
        .append("\",\"receivedAt\":\"")
        .append(at)
        .append("\",\"")
        .append(payloadField)
        .append("\":")
        .append(payload)
        .append("}}")
        .toString();
  }
}
