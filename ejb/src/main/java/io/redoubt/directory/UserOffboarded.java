package io.redoubt.directory;

/**
 * A CDI event: the user lost access to Redoubt (DISABLED or REMOVED). Fired inside the transaction
 * that changes the status, so that every synchronous observer's work commits or fails with it.
 *
 * <p>Observers: the device revoker (every active device revoked, each revocation logged, their
 * queues purged), messaging (the user leaves every conversation, the other members told), the audit
 * trail. Sockets are closed after commit, on {@link UserStatusChanged}.
 *
 * @param runId the reconciliation run (or single-user re-check) that decided, or null
 * @param decidedBy who decided, for the audit trail: the run and its trigger, and the administrator
 *     who confirmed it if it was held
 */
public record UserOffboarded(
    String userId, String username, UserStatus status, Long runId, String decidedBy) {}
