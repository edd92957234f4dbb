package io.redoubt.web.messaging;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a transactional call again when the database chose its transaction as a deadlock victim.
 *
 * <p>The group commit inserts queue rows and deletes acknowledged ones while other writers
 * (membership changes, the expiry sweep, revocation purges) touch the same tables; InnoDB's
 * next-key locks can make them meet in a deadlock, and the victim's whole transaction is rolled
 * back. A batch is safe to repeat: sends are idempotent by message id, an acknowledgement deletes
 * what is still there. So the victim is retried at once, after a short random pause, instead of
 * failing its callers with a 500. Must be called outside any transaction, so that each attempt is a
 * transaction of its own.
 */
final class DeadlockRetry {

  /** Attempts in all; the last failure is thrown. */
  static final int ATTEMPTS = 3;

  /** MariaDB's ER_LOCK_DEADLOCK. */
  private static final int LOCK_DEADLOCK = 1213;

  /** A call that may throw the caller's checked exceptions. */
  @FunctionalInterface
  interface Call<T, E extends Exception> {
    T run() throws E;
  }

  private DeadlockRetry() {}

  static <T, E extends Exception> T run(Call<T, E> call) throws E {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (RuntimeException e) {
        if (!again(e, attempt)) {
          throw e;
        }
      }
    }
  }

  /**
   * For a caller's own loop when the call throws several checked exceptions: true, after a short
   * pause, when {@code failure} of attempt {@code attempt} (from 1) was a deadlock and another
   * attempt is allowed.
   */
  static boolean again(RuntimeException failure, int attempt) {
    if (attempt >= ATTEMPTS || !isDeadlock(failure)) {
      return false;
    }
    pause(attempt);
    return true;
  }

  static boolean isDeadlock(Throwable failure) {
    // Bounded: a cause chain may loop (A caused by B caused by A), which getCause() does not stop.
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
      if (cause instanceof SQLException sql
          && (sql.getErrorCode() == LOCK_DEADLOCK || "40001".equals(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
