package io.redoubt.protocol.attachments;

import java.io.IOException;

/**
 * An encrypted attachment failed to open: not this format, a chunk altered, moved, dropped or
 * appended, the wrong key, or a digest that is not the one the message named. An {@link
 * IOException} so that it travels through the stream that found it; nothing after the failing chunk
 * is ever released.
 */
public class AttachmentIntegrityException extends IOException {

  private static final long serialVersionUID = 1L;

  public AttachmentIntegrityException(String message) {
    super(message);
  }
}
