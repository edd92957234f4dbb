package io.redoubt.client.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a device sends: the plaintext and how it is typed, kept, and shown. Attachments are the seam
 * for file messages: the file is encrypted and uploaded first, and its blob ids travel here (in the
 * clear header, so the server knows who may download them) while key and digest go in {@code
 * content} (contentType {@code application/vnd.redoubt.attachment+json}).
 *
 * @param lifetime how long the server keeps it; null for the conversation's default
 */
public record OutgoingMessage(
    String contentType,
    byte[] content,
    List<UUID> attachments,
    boolean burnOnRead,
    Duration lifetime) {

  /** The media type of text messages. */
  public static final String TEXT = "text/plain; charset=utf-8";

  public OutgoingMessage {
    Objects.requireNonNull(contentType, "contentType");
    content = content.clone();
    attachments = List.copyOf(attachments);
  }

  /** A UTF-8 text message with the conversation's default lifetime. */
  public static OutgoingMessage text(String text) {
    return new OutgoingMessage(
        TEXT, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), List.of(), false, null);
  }

  /**
   * A file message: {@code files} already uploaded ({@link Attachments#upload}), with an optional
   * {@code text} (null for none). Their blob ids go into the header; keys and digests into the
   * encrypted content ({@link FileMessage}).
   *
   * @param lifetime how long the server keeps it; null for the conversation's default
   */
  public static OutgoingMessage files(
      String text,
      List<io.redoubt.protocol.attachments.AttachmentDescriptor> files,
      boolean burnOnRead,
      Duration lifetime) {
    byte[] content = FileMessage.encode(text, files);
    try {
      return new OutgoingMessage(
          io.redoubt.protocol.attachments.AttachmentDescriptor.CONTENT_TYPE,
          content,
          files.stream().map(io.redoubt.protocol.attachments.AttachmentDescriptor::blobId).toList(),
          burnOnRead,
          lifetime);
    } finally {
      // The record keeps its own copy; this one held the file keys.
      java.util.Arrays.fill(content, (byte) 0);
    }
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  @Override
  public String toString() {
    return "OutgoingMessage[" + contentType + ", " + content.length + " bytes]";
  }
}
