package io.redoubt.client.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.redoubt.client.Json;
import io.redoubt.protocol.attachments.AttachmentDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

/**
 * The plaintext of a file message (content type {@value AttachmentDescriptor#CONTENT_TYPE}; docs:
 * messaging, "The descriptor"): an optional text and one descriptor per file, as JSON:
 *
 * <pre>{"text": "the minutes", "attachments": [{"blobId": ..., "key": ..., ...}]}</pre>
 *
 * <p>A recipient accepts the content only when its descriptors name exactly the blob ids of the
 * header's {@code attachments}, once each: the header is what the server lets the recipient
 * download, and the sender signed both, so a mismatch is a broken or hostile sender.
 */
public final class FileMessage {

  /**
   * The JSON shape; keys travel as base64url text in it (see {@link AttachmentDescriptor.Wire}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Content(String text, List<AttachmentDescriptor.Wire> attachments) {}

  private FileMessage() {}

  /** The content for {@code files} with an optional {@code text} (null for none). */
  public static byte[] encode(String text, List<AttachmentDescriptor> files) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("a file message has at least one file");
    }
    try {
      return Json.WRITER.writeValueAsBytes(
          new Content(text, files.stream().map(AttachmentDescriptor::toWire).toList()));
    } catch (IOException e) {
      throw new IllegalStateException("records always serialise", e);
    }
  }

  /** The text of a file message's content, or null when it has none or cannot be read. */
  static String text(byte[] content) {
    try {
      return Json.READER.readValue(content, Content.class).text();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The descriptors in {@code content}; the caller {@linkplain AttachmentDescriptor#destroy()
   * destroys} them when done.
   *
   * @param headerAttachments the blob ids the signed header lists
   * @throws IllegalArgumentException naming what is wrong: not JSON of this shape, a malformed
   *     descriptor, or descriptors that are not exactly the header's blobs
   */
  public static List<AttachmentDescriptor> files(byte[] content, List<UUID> headerAttachments) {
    Content parsed;
    try {
      parsed = Json.READER.readValue(content, Content.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("the file message's content is not readable JSON");
    }
    if (parsed.attachments() == null || parsed.attachments().isEmpty()) {
      throw new IllegalArgumentException("the file message lists no files");
    }
    List<AttachmentDescriptor> files = new ArrayList<>();
    try {
      for (AttachmentDescriptor.Wire wire : parsed.attachments()) {
        files.add(wire.decode());
      }
      var named = new HashSet<UUID>();
      for (AttachmentDescriptor file : files) {
        named.add(file.blobId());
      }
      if (named.size() != files.size()
          || files.size() != headerAttachments.size()
          || !named.equals(new HashSet<>(headerAttachments))) {
        throw new IllegalArgumentException(
            "the files in the content are not exactly the attachments in the signed header");
      }
      return files;
    } catch (RuntimeException e) {
      files.forEach(AttachmentDescriptor::destroy);
      throw e instanceof IllegalArgumentException bad
          ? bad
          : new IllegalArgumentException("a file descriptor is malformed: " + e.getMessage());
    }
  }
}
