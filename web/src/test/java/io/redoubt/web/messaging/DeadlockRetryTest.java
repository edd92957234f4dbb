package io.redoubt.web.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlockRetryTest {

  /** As a deadlock reaches the caller of an EJB: wrapped a few times over. */
  private static RuntimeException deadlock() {
    SQLException sql =
        new SQLTransactionRollbackException(
            "Deadlock found when trying to get lock", "40001", 1213);
    return new IllegalStateException("transaction rolled back", new RuntimeException(sql));
  }

  @Test
  void aDeadlockVictimIsRunAgainUntilItSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    int result =
        DeadlockRetry.run(
            () -> {
              if (calls.incrementAndGet() < DeadlockRetry.ATTEMPTS) {
                throw deadlock();
              }
              return 7;
            });
    assertThat(result).isEqualTo(7);
    assertThat(calls).hasValue(DeadlockRetry.ATTEMPTS);
  }

  @Test
  void afterTheLastAttemptTheDeadlockIsThrown() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                DeadlockRetry.run(
                    () -> {
                      calls.incrementAndGet();
                      throw deadlock();
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(calls).hasValue(DeadlockRetry.ATTEMPTS);
  }

  @Test
  void anyOtherFailureIsThrownAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    RuntimeException other =
        new IllegalStateException(new SQLException("Duplicate entry", "23000", 1062));
    assertThatThrownBy(
            () ->
                DeadlockRetry.run(
                    () -> {
                      calls.incrementAndGet();
                      throw other;
                    }))
        .isSameAs(other);
    assertThat(calls).hasValue(1);
  }
}
