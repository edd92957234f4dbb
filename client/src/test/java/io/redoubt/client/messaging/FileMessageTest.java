package io.redoubt.client.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.protocol.attachments.AttachmentDescriptor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The content of a file message, and the recipient's check of it against the signed header. */
class FileMessageTest {

  private static AttachmentDescriptor file(String name) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);
    byte[] digest = new byte[48];
    Arrays.fill(digest, (byte) 9);
    return new AttachmentDescriptor(UUID.randomUUID(), key, digest, 1234, name, "text/plain");
  }

  private static ReceivedMessage received(OutgoingMessage sent, List<UUID> header) {
    return new ReceivedMessage(
        1,
        UUID.randomUUID(),
        UUID.randomUUID(),
        "alice",
        "alice",
        UUID.randomUUID(),
        Instant.now(),
        Instant.now(),
        Instant.now(),
        false,
        sent.contentType(),
        header,
        sent.content(),
        true,
        null);
  }

  @Test
  void theFilesAndTheTextTravelInTheContentTheBlobIdsInTheHeader() {
    AttachmentDescriptor a = file("a.txt");
    AttachmentDescriptor b = file("b.txt");
    OutgoingMessage sent = OutgoingMessage.files("the minutes", List.of(a, b), false, null);

    assertThat(sent.contentType()).isEqualTo(AttachmentDescriptor.CONTENT_TYPE);
    assertThat(sent.attachments()).containsExactly(a.blobId(), b.blobId());
    ReceivedMessage message = received(sent, sent.attachments());
    assertThat(message.isFileMessage()).isTrue();
    assertThat(message.text()).isEqualTo("the minutes");
    assertThat(message.files()).containsExactly(a, b);
  }

  @Test
  void withoutTextTheMessageHasNone() {
    OutgoingMessage sent = OutgoingMessage.files(null, List.of(file("a")), false, null);
    assertThat(new String(sent.content(), StandardCharsets.UTF_8)).doesNotContain("\"text\"");
    assertThat(received(sent, sent.attachments()).text()).isNull();
  }

  @Test
  void filesThatAreNotExactlyTheHeadersAttachmentsAreRefused() {
    AttachmentDescriptor a = file("a");
    AttachmentDescriptor b = file("b");
    OutgoingMessage sent = OutgoingMessage.files(null, List.of(a, b), false, null);

    for (List<UUID> header :
        List.of(
            List.of(a.blobId()),
            List.of(a.blobId(), b.blobId(), UUID.randomUUID()),
            List.of(a.blobId(), UUID.randomUUID()),
            List.<UUID>of())) {
      assertThatThrownBy(() -> received(sent, header).files())
          .as(header.toString())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("signed header");
    }
    AttachmentDescriptor twice = file("twice");
    OutgoingMessage duplicated = OutgoingMessage.files(null, List.of(twice, twice), false, null);
    assertThatThrownBy(
            () -> received(duplicated, List.of(twice.blobId(), UUID.randomUUID())).files())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedContentIsRefusedWithAReason() {
    UUID blob = UUID.randomUUID();
    for (String content :
        List.of(
            "not json",
            "{\"attachments\":[]}",
            "{\"attachments\":[{\"blobId\":\"" + blob + "\",\"key\":\"AAAA\",\"digest\":\"x\"}]}",
            "{\"attachments\":[{\"blobId\":\"nope\",\"key\":\"AAAA\",\"digest\":\"AAAA\"}]}")) {
      assertThatThrownBy(
              () -> FileMessage.files(content.getBytes(StandardCharsets.UTF_8), List.of(blob)))
          .as(content)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aFileMessageNeedsAFile() {
    assertThatThrownBy(() -> OutgoingMessage.files("text", List.of(), false, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
