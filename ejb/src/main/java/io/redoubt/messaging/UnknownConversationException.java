package io.redoubt.messaging;

/** No such conversation, or the caller is not a member (both look the same from outside). */
public class UnknownConversationException extends Exception {

  private static final long serialVersionUID = 1L;

  public UnknownConversationException(String conversationId) {
    super("There is no conversation " + conversationId + " of yours.");
  }
}
