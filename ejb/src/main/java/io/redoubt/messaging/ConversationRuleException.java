package io.redoubt.messaging;

/**
 * A conversation request that breaks a rule: an unknown or disabled user, a group over its member
 * limit, a rename of a direct conversation, a lifetime above policy. The message names the fault.
 */
public class ConversationRuleException extends Exception {

  private static final long serialVersionUID = 1L;

  public ConversationRuleException(String message) {
    super(message);
  }
}
