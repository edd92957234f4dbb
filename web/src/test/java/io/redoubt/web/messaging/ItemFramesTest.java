package io.redoubt.web.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.redoubt.protocol.api.ControlMessage;
import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.api.QueueItem;
import io.redoubt.protocol.api.SocketFrame;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written item frames say exactly what the JSON binding of a SocketFrame says. */
class ItemFramesTest {

  private static final Jsonb JSON = JsonbBuilder.create();
  private static final Instant AT = Instant.parse("2026-11-30T13:04:05.123456Z");

  @Test
  void envelopeFrameIsTheBoundFrame() {
    EnvelopeMessage envelope =
        new EnvelopeMessage(
            new EnvelopeMessage.Header(
                1,
                "c0a8f2e4-0d3c-4a39-9d7e-3f1e0f5b6a11",
                "5f0e2c1a-8b7d-4e6f-a1b2-c3d4e5f6a7b8",
                "user \"quoted\" \u00e9\u4e2d",
                "7d1c0b9a-6e5f-4d3c-b2a1-0f9e8d7c6b5a",
                1_764_500_000_000L,
                1_765_104_800_000L,
                true,
                "text/plain; charset=utf-8",
                List.of("0e1d2c3b-4a59-4687-a5b4-c3d2e1f00f1e")),
            new EnvelopeMessage.Content("bm9uY2U", "Y2lwaGVydGV4dA"),
            List.of(
                new EnvelopeMessage.Recipient(
                    "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", 42, "ZW5j", "d3JhcHBlZA")),
            "c2lnbmF0dXJl");
    byte[] stored = JSON.toJson(envelope).getBytes(StandardCharsets.UTF_8);

    String written = ItemFrames.envelope(1234567890123L, AT, stored);

    SocketFrame bound =
        new SocketFrame(
            "item",
            null,
            null,
            new QueueItem(1234567890123L, "envelope", AT.toString(), envelope, null),
            null,
            null,
            null,
            null,
            null);
    assertThat(parse(written)).isEqualTo(parse(JSON.toJson(bound)));
    assertThat(JSON.fromJson(written, SocketFrame.class)).isEqualTo(bound);
  }

  @Test
  void controlFrameIsTheBoundFrame() {
    ControlMessage control =
        new ControlMessage(
            "member-removed",
            "c0a8f2e4-0d3c-4a39-9d7e-3f1e0f5b6a11",
            "Ops \\ night shift",
            List.of("u-1", "u-2"),
            "u-admin",
            AT.toString());
    byte[] stored = JSON.toJson(control).getBytes(StandardCharsets.UTF_8);

    String written = ItemFrames.control(7, AT, stored);

    SocketFrame bound =
        new SocketFrame(
            "item",
            null,
            null,
            new QueueItem(7, "control", AT.toString(), null, control),
            null,
            null,
            null,
            null,
            null);
    assertThat(parse(written)).isEqualTo(parse(JSON.toJson(bound)));
  }

  private static JsonObject parse(String json) {
    try (var reader = Json.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }
}
