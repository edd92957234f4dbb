package io.redoubt.directory;

/**
 * A CDI event: the user lost access to Redoubt (DISABLED or REMOVED). Fired inside the transaction
 * that changes the status, so that every synchronous observer's work commits or fails with it.
 *
 * <p>Observers today: the device revoker (every active device revoked and logged). The seam for
 * what does not exist yet: closing the user's WebSockets, purging queued envelopes, leaving
 * conversations, the audit event.
 *
 * @param runId the reconciliation run, or null when an administrator acted directly
 */
public record UserOffboarded(String userId, String username, UserStatus status, Long runId) {}
