package io.redoubt.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentOffboardingsTest {

  private static final Duration WINDOW = Duration.ofMinutes(5);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void pushesOffboardUpToTheAllowancePerWindowThenHold() {
    RecentOffboardings recent = new RecentOffboardings();
    for (int i = 0; i < 10; i++) {
      assertThat(recent.tryTake(T0.plusSeconds(i), WINDOW, 10)).isTrue();
    }
    assertThat(recent.tryTake(T0.plusSeconds(11), WINDOW, 10))
        .as("the eleventh within five minutes looks like an outage, not a person leaving")
        .isFalse();
    assertThat(recent.tryTake(T0.plus(WINDOW).plusSeconds(1), WINDOW, 10))
        .as("once the first have left the window, single offboardings go through again")
        .isTrue();
  }

  @Test
  void aZeroAllowanceHoldsEveryPush() {
    assertThat(new RecentOffboardings().tryTake(T0, WINDOW, 0)).isFalse();
  }
}
