package io.redoubt.messaging;

/** A message id that is already stored with another envelope: a replay, or a client bug. */
public class MessageIdReusedException extends Exception {

  private static final long serialVersionUID = 1L;

  public MessageIdReusedException(String messageId) {
    super("Message id " + messageId + " is already used by another envelope.");
  }
}
