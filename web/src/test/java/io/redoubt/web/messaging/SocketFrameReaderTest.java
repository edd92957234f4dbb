package io.redoubt.web.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.api.SocketFrame;
import jakarta.json.JsonException;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming reader gives the socket the frame the JSON binding gave it, and refuses (with a
 * {@link JsonException}, which the socket answers with a {@code malformed-frame} error) anything
 * that is not a frame — never another exception, which would escape the endpoint.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketFrameReaderTest {

  private static final Jsonb JSON = JsonbBuilder.create();

  static EnvelopeMessage envelope() {
    return new EnvelopeMessage(
        new EnvelopeMessage.Header(
            1,
            "c0a8f2e4-0d3c-4a39-9d7e-3f1e0f5b6a11",
            "5f0e2c1a-8b7d-4e6f-a1b2-c3d4e5f6a7b8",
            "user \"quoted\" \\ \u00e9\u4e2d\n\u0001",
            "7d1c0b9a-6e5f-4d3c-b2a1-0f9e8d7c6b5a",
            1_764_500_000_000L,
            1_765_104_800_000L,
            true,
            "text/plain; charset=utf-8",
            List.of(
                "0e1d2c3b-4a59-4687-a5b4-c3d2e1f00f1e", "1e1d2c3b-4a59-4687-a5b4-c3d2e1f00f1e")),
        new EnvelopeMessage.Content("AAECAwQFBgcICQoL", "Y2lwaGVydGV4dCBhbmQgdGFnIGJ5dGVz"),
        List.of(
            new EnvelopeMessage.Recipient(
                "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", 42, "ZW5j", "d3JhcHBlZA"),
            new EnvelopeMessage.Recipient(
                "aa8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", Long.MAX_VALUE, "ZW5k", "d3JhcHBlZB")),
        "c2lnbmF0dXJl");
  }

  @Test
  void aSendFrameReadsAsTheBindingReadsIt() {
    SocketFrame sent =
        new SocketFrame(
            "send",
            null,
            "r-1 \"x\"",
            null,
            null,
            "c0a8f2e4-0d3c-4a39-9d7e-3f1e0f5b6a11",
            envelope(),
            null,
            null);
    String text = JSON.toJson(sent);

    assertThat(read(text)).isEqualTo(JSON.fromJson(text, SocketFrame.class));
  }

  @Test
  void ackAndHelloFramesReadAsTheBindingReadsThem() {
    for (String text :
        List.of(
            "{\"type\":\"ack\",\"seqs\":[1,2,9007199254740993,null]}",
            "{\"type\":\"hello\",\"ticket\":\"t-1\"}",
            "{\"type\":\"ack\",\"seqs\":[]}",
            "{\"type\":\"ack\",\"seqs\":null,\"requestId\":null}",
            "{}")) {
      assertThat(read(text)).as(text).isEqualTo(JSON.fromJson(text, SocketFrame.class));
    }
  }

  @Test
  void missingEnvelopeFieldsAreNullOrZeroAsTheBindingMadeThem() {
    String text =
        "{\"type\":\"send\",\"conversationId\":\"c\",\"envelope\":{\"header\":{},"
            + "\"content\":{},\"recipients\":[{},null]}}";

    assertThat(read(text)).isEqualTo(JSON.fromJson(text, SocketFrame.class));
  }

  @Test
  void propertiesTheServerDoesNotReadAreSkippedWhateverTheyHold() {
    String text =
        "{\"item\":{\"a\":[1,{\"b\":[[],{}]}],\"c\":\"}\"},\"type\":\"ack\",\"x\":[[[{}]]],"
            + "\"problem\":null,\"accepted\":7,\"seqs\":[5],\"y\":{\"seqs\":[6]},\"z\":true}";

    SocketFrame frame = read(text);

    assertThat(frame.type()).isEqualTo("ack");
    assertThat(frame.seqs()).containsExactly(5L);
    assertThat(frame.item()).isNull();
    assertThat(frame.problem()).isNull();
    assertThat(frame.accepted()).isNull();
  }

  @Test
  void multiByteCharactersAreReadAsUtf8() {
    // Two, three and four bytes in UTF-8, the last a surrogate pair in Java.
    String requestId = "Zoë ✓ \uD834\uDD1E";

    SocketFrame frame = read("{\"type\":\"ack\",\"requestId\":\"" + requestId + "\"}");

    assertThat(frame.requestId()).isEqualTo(requestId);
  }

  @Test
  void theLastOfARepeatedPropertyCounts() {
    assertThat(read("{\"type\":\"hello\",\"type\":\"ack\"}").type()).isEqualTo("ack");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "not json",
        "null",
        "5",
        "\"send\"",
        "[]",
        "[{\"type\":\"ack\"}]",
        "{",
        "{\"type\"",
        "{\"type\":",
        "{\"type\":\"ack\"",
        "{\"type\":\"ack\",}",
        "{\"type\":\"ack\"}}",
        "{\"type\":\"ack\"} {}",
        "{\"type\":\"ack\"} x",
        "{type:\"ack\"}",
        "{'type':'ack'}",
        "{\"type\":ack}",
        "{\"type\":5}",
        "{\"type\":{}}",
        "{\"type\":[\"send\"]}",
        "{\"type\":true}",
        "{\"ticket\":1}",
        "{\"requestId\":[]}",
        "{\"conversationId\":{}}",
        "{\"type\":\"ack\",\"seqs\":5}",
        "{\"type\":\"ack\",\"seqs\":\"1,2\"}",
        "{\"type\":\"ack\",\"seqs\":[\"1\"]}",
        "{\"type\":\"ack\",\"seqs\":[1.5]}",
        "{\"type\":\"ack\",\"seqs\":[1e3]}",
        "{\"type\":\"ack\",\"seqs\":[99999999999999999999999]}",
        "{\"type\":\"ack\",\"seqs\":[-99999999999999999999999]}",
        "{\"type\":\"ack\",\"seqs\":[true]}",
        "{\"type\":\"ack\",\"seqs\":[[1]]}",
        "{\"type\":\"ack\",\"seqs\":[1,]}",
        "{\"type\":\"ack\",\"seqs\":[01]}",
        "{\"type\":\"ack\",\"seqs\":[NaN]}",
        "{\"type\":\"send\",\"envelope\":\"e\"}",
        "{\"type\":\"send\",\"envelope\":[]}",
        "{\"type\":\"send\",\"envelope\":{\"header\":[]}}",
        "{\"type\":\"send\",\"envelope\":{\"header\":{\"version\":\"1\"}}}",
        "{\"type\":\"send\",\"envelope\":{\"header\":{\"version\":4294967297}}}",
        "{\"type\":\"send\",\"envelope\":{\"header\":{\"sentAt\":1.0}}}",
        "{\"type\":\"send\",\"envelope\":{\"header\":{\"burnOnRead\":\"true\"}}}",
        "{\"type\":\"send\",\"envelope\":{\"header\":{\"burnOnRead\":1}}}",
        "{\"type\":\"send\",\"envelope\":{\"header\":{\"attachments\":\"a\"}}}",
        "{\"type\":\"send\",\"envelope\":{\"header\":{\"attachments\":[1]}}}",
        "{\"type\":\"send\",\"envelope\":{\"header\":{\"contentType\":{}}}}",
        "{\"type\":\"send\",\"envelope\":{\"content\":{\"nonce\":1}}}",
        "{\"type\":\"send\",\"envelope\":{\"content\":[]}}",
        "{\"type\":\"send\",\"envelope\":{\"recipients\":{}}}",
        "{\"type\":\"send\",\"envelope\":{\"recipients\":[1]}}",
        "{\"type\":\"send\",\"envelope\":{\"recipients\":[\"r\"]}}",
        "{\"type\":\"send\",\"envelope\":{\"recipients\":[[]]}}",
        "{\"type\":\"send\",\"envelope\":{\"recipients\":[{\"prekeyId\":\"1\"}]}}",
        "{\"type\":\"send\",\"envelope\":{\"recipients\":[{\"deviceId\":2}]}}",
        "{\"type\":\"send\",\"envelope\":{\"signature\":[]}}",
        "{\"type\":\"send\",\"envelope\":{\"header\":{}",
        "{\"type\":\"send\",\"x\":[1,2",
        "{\"type\":\"send\",\"x\":{\"a\":",
        "{\"type\":\"se\\qnd\"}",
        "{\"type\":\"\\u12\"}",
        "{\"type\":\"a\u0001b\"}",
      })
  void anythingElseIsMalformed(String text) {
    assertThatThrownBy(() -> read(text)).as(text).isInstanceOf(JsonException.class);
  }

  @Test
  void deeplyNestedOrUnterminatedValuesAreRefusedWithoutHangingOrOverflowing() {
    char[] open = new char[200_000];
    Arrays.fill(open, '[');
    String deep = "{\"x\":" + new String(open);
    assertThatThrownBy(() -> read(deep)).isInstanceOf(JsonException.class);
    char[] close = new char[200_000];
    Arrays.fill(close, ']');
    String closed = deep + new String(close) + ",\"type\":\"ack\"}";
    assertThatThrownBy(() -> read(closed)).isInstanceOf(JsonException.class);
    // An unterminated skipped value made Parsson's own skipArray loop for ever.
    for (String cut : List.of("{\"x\":[1,[2", "{\"x\":{\"a\":{\"b\":1", "{\"x\":[[[\"")) {
      assertThatThrownBy(() -> read(cut)).as(cut).isInstanceOf(JsonException.class);
    }
  }

  @Test
  void valuesNestedAsDeepAsTheLimitAreStillSkipped() {
    String nested = "[".repeat(64) + "]".repeat(64);
    assertThat(read("{\"x\":" + nested + ",\"type\":\"ack\"}").type()).isEqualTo("ack");
    String deeper = "[".repeat(65) + "]".repeat(65);
    assertThatThrownBy(() -> read("{\"x\":" + deeper + ",\"type\":\"ack\"}"))
        .isInstanceOf(JsonException.class);
  }

  private static SocketFrame read(String text) {
    return SocketFrameReader.read(text.getBytes(StandardCharsets.UTF_8));
  }
}
