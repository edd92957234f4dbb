package io.redoubt.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JoinerRetriesTest {

  private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void aNewSetOfWaitingMembersStartsARunAtOnce() {
    JoinerRetries retries = new JoinerRetries(Duration.ofSeconds(60), Duration.ofMinutes(5));
    assertThat(retries.due(Set.of(), at(0))).isFalse();
    assertThat(retries.due(Set.of("frank"), at(0))).isTrue();
    // Another newcomer makes it a different set: at once again.
    assertThat(retries.due(Set.of("frank", "gina"), at(30))).isTrue();
  }

  @Test
  void theSameWaitingSetIsRetriedWithDoublingPausesUntilTheTimerTakesOver() {
    JoinerRetries retries = new JoinerRetries(Duration.ofSeconds(60), Duration.ofMinutes(5));
    Set<String> waiting = Set.of("frank");
    assertThat(retries.due(waiting, at(0))).isTrue();
    assertThat(retries.due(waiting, at(30))).isFalse();
    assertThat(retries.due(waiting, at(60))).isTrue(); // after 60 s
    assertThat(retries.due(waiting, at(120))).isFalse();
    assertThat(retries.due(waiting, at(180))).isTrue(); // after 120 s
    assertThat(retries.due(waiting, at(300))).isFalse();
    assertThat(retries.due(waiting, at(420))).isTrue(); // after 240 s; the next pause is 480 s
    assertThat(retries.due(waiting, at(10_000))).isFalse(); // the 5-min timer runs from here
  }

  @Test
  void aSetThatEmptiesAndComesBackIsNew() {
    JoinerRetries retries = new JoinerRetries(Duration.ofSeconds(60), Duration.ofMinutes(5));
    assertThat(retries.due(Set.of("frank"), at(0))).isTrue();
    assertThat(retries.due(Set.of(), at(30))).isFalse();
    assertThat(retries.due(Set.of("frank"), at(40))).isTrue();
  }
}
