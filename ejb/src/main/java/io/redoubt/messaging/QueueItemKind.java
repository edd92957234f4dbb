package io.redoubt.messaging;

/** What a queue row carries. */
public enum QueueItemKind {
  ENVELOPE,
  CONTROL
}
