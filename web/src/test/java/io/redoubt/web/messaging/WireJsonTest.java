package io.redoubt.web.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.redoubt.messaging.Mailroom;
import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.api.SocketFrame;
import io.redoubt.protocol.envelope.Envelope;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written JSON is byte for byte what the JSON binding writes for the same records. */
class WireJsonTest {

  private static final Jsonb JSON = JsonbBuilder.create();

  @Test
  void theStoredEnvelopeIsTheBoundCanonicalForm() throws Exception {
    Envelope envelope = SocketFrameReaderTest.envelope().decode();

    byte[] written = WireJson.envelope(envelope);

    assertThat(new String(written, StandardCharsets.UTF_8))
        .isEqualTo(JSON.toJson(EnvelopeMessage.of(envelope)));
  }

  @Test
  void anEnvelopeWithoutAttachmentsAndWithEveryEscapeIsTheBoundForm() throws Exception {
    EnvelopeMessage given = SocketFrameReaderTest.envelope();
    StringBuilder controls = new StringBuilder("\"\\/\u2028\ud83d\ude00");
    for (char c = 0; c < 0x20; c++) {
      controls.append(c);
    }
    EnvelopeMessage.Header h = given.header();
    Envelope envelope =
        new EnvelopeMessage(
                new EnvelopeMessage.Header(
                    h.version(),
                    h.conversationId(),
                    h.messageId(),
                    controls.toString(),
                    h.senderDeviceId(),
                    -5,
                    h.expiresAt(),
                    false,
                    controls.reverse().toString(),
                    List.of()),
                new EnvelopeMessage.Content("_-8_-8_-8_-8_-8A", "_-8_-8_-8_-8_-8_-8_-8_-8"),
                given.recipients(),
                "")
            .decode();

    assertThat(new String(WireJson.envelope(envelope), StandardCharsets.UTF_8))
        .isEqualTo(JSON.toJson(EnvelopeMessage.of(envelope)));
  }

  @Test
  void theAcceptedFrameIsTheBoundFrame() {
    Mailroom.Accepted accepted =
        new Mailroom.Accepted(
            "5f0e2c1a-8b7d-4e6f-a1b2-c3d4e5f6a7b8",
            Instant.parse("2026-11-30T13:04:05.123456Z"),
            Instant.parse("2026-12-07T13:04:05Z"),
            10,
            true);
    for (String requestId : new String[] {"r-1", "q\"\\\n\u00e9", null}) {
      SocketFrame bound =
          new SocketFrame(
              "accepted", null, requestId, null, null, null, null, Envelopes.view(accepted), null);

      assertThat(WireJson.acceptedFrame(requestId, accepted)).isEqualTo(JSON.toJson(bound));
    }
  }
}
