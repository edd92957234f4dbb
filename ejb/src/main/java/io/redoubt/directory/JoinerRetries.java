package io.redoubt.directory;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * When the membership check should start a run for access-group members who are not active in the
 * directory: at once when that set of people changes; then, while the same people stay waiting
 * (Keycloak has not imported them yet, or keeps them disabled), again after a pause that doubles
 * each time, until the pause would reach the reconciliation interval, whose timer runs take over. A
 * disabled member of an access group is common and lasting; without this, every check would start a
 * run that reads every Keycloak user.
 *
 * <p>Not thread-safe: the membership check runs one at a time.
 */
final class JoinerRetries {

  private final Duration firstPause;
  private final Duration timerInterval;
  private Set<String> waiting = Set.of();
  private Instant nextTry = Instant.MAX;
  private Duration pause;

  /**
   * @param firstPause how long the same waiting set is left alone after its first run
   * @param timerInterval the reconciliation interval: pauses stop growing before they reach it
   */
  JoinerRetries(Duration firstPause, Duration timerInterval) {
    this.firstPause = firstPause;
    this.timerInterval = timerInterval;
    this.pause = firstPause;
  }

  /** Whether a run is due for these waiting members now; counts the run as started if so. */
  boolean due(Set<String> nowWaiting, Instant now) {
    if (nowWaiting.isEmpty()) {
      waiting = Set.of();
      return false;
    }
    if (!nowWaiting.equals(waiting)) {
      waiting = Set.copyOf(nowWaiting);
      pause = firstPause;
      nextTry = now.plus(pause);
      return true;
    }
    if (now.isBefore(nextTry)) {
      return false;
    }
    pause = pause.multipliedBy(2);
    // Past the timer's interval a retry would only duplicate the timer's own run.
    nextTry = pause.compareTo(timerInterval) >= 0 ? Instant.MAX : now.plus(pause);
    return true;
  }
}
