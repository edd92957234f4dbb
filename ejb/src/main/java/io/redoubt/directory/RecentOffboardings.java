package io.redoubt.directory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The safety rule for changes that arrive one user at a time (pushes from Keycloak). One user is
 * always below max(10, 5 %) by itself, so the rule is applied to a sliding window instead: pushes
 * may take access from at most the rule's allowance of users per window (the reconciliation
 * interval); past that, each further one is held for an administrator like a run's would be. A
 * directory outage that makes Keycloak drop users one by one thus stops where a run would stop. Per
 * node; thread-safe.
 */
final class RecentOffboardings {

  private final Deque<Instant> taken = new ArrayDeque<>();

  /**
   * Counts one more offboarding at {@code now} if fewer than {@code allowance} happened in the
   * {@code window} before it; false (and nothing counted) otherwise.
   */
  synchronized boolean tryTake(Instant now, Duration window, long allowance) {
    Instant since = now.minus(window);
    while (!taken.isEmpty() && !taken.peekFirst().isAfter(since)) {
      taken.pollFirst();
    }
    if (taken.size() >= allowance) {
      return false;
    }
    taken.addLast(now);
    return true;
  }
}
