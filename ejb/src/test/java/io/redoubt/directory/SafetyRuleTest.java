package io.redoubt.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafetyRuleTest {

  private final SafetyRule rule = new SafetyRule(10, 0.05);

  @Test
  void smallOrganisationsMayLoseUpToTenUsersInOneRun() {
    assertThat(rule.allowance(6)).isEqualTo(10);
    assertThat(rule.mustHold(6, 6)).isFalse();
    assertThat(rule.mustHold(10, 100)).isFalse();
    assertThat(rule.mustHold(11, 100)).isTrue();
  }

  @Test
  void largeOrganisationsMayLoseUpToFivePercent() {
    assertThat(rule.allowance(1000)).isEqualTo(50);
    assertThat(rule.mustHold(50, 1000)).isFalse();
    assertThat(rule.mustHold(51, 1000)).isTrue();
    // Half the users at once: always held.
    assertThat(rule.mustHold(5000, 10000)).isTrue();
  }
}
