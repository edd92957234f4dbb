package io.redoubt.messaging;

/** Direct: two users for ever. Group: named, with admins, up to the member limit. */
public enum ConversationKind {
  DIRECT,
  GROUP
}
