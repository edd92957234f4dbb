package io.redoubt.web.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

  private final AtomicLong now = new AtomicLong(0);
  private final RateLimits limits = new RateLimits();

  @BeforeEach
  void sixPerMinuteBurstThree() {
    limits.sendsPerMinute = 6;
    limits.sendBurst = 3;
    limits.claimsPerMinute = 60;
    limits.claimBurst = 1;
    limits.useClock(now::get);
  }

  @Test
  void aBurstPassesThenTheNextWaitsForItsToken() throws Exception {
    for (int i = 0; i < 3; i++) {
      limits.take(RateLimits.Action.SEND, "device-a", 1);
    }

    assertThatThrownBy(() -> limits.take(RateLimits.Action.SEND, "device-a", 1))
        .isInstanceOfSatisfying(
            RateLimitedException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(10));

    now.addAndGet(TimeUnit.SECONDS.toNanos(10));
    assertThatCode(() -> limits.take(RateLimits.Action.SEND, "device-a", 1))
        .doesNotThrowAnyException();
  }

  @Test
  void devicesAndActionsHaveTheirOwnBuckets() throws Exception {
    for (int i = 0; i < 3; i++) {
      limits.take(RateLimits.Action.SEND, "device-a", 1);
    }

    assertThatCode(() -> limits.take(RateLimits.Action.SEND, "device-b", 1))
        .doesNotThrowAnyException();
    assertThatCode(() -> limits.take(RateLimits.Action.CLAIM, "device-a", 1))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> limits.take(RateLimits.Action.CLAIM, "device-a", 1))
        .isInstanceOf(RateLimitedException.class)
        .hasMessageContaining("prekey claims");
  }

  @Test
  void refillNeverExceedsTheBurst() throws Exception {
    now.addAndGet(TimeUnit.HOURS.toNanos(1));
    for (int i = 0; i < 3; i++) {
      limits.take(RateLimits.Action.SEND, "device-a", 1);
    }
    assertThatThrownBy(() -> limits.take(RateLimits.Action.SEND, "device-a", 1))
        .isInstanceOf(RateLimitedException.class);
  }
}
