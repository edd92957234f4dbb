package io.redoubt.directory;

/**
 * A CDI event, observed after the changing transaction commits: caches of the user's status must
 * forget it.
 */
public record UserStatusChanged(String userId, UserStatus status) {}
