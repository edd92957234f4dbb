package io.redoubt.protocol.api;

/** Renames a group or changes its default lifetime (group admins); null fields stay as they are. */
public record ConversationUpdate(String name, Long defaultLifetimeSeconds) {}
