package io.redoubt.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FipsOnlyProviders.class)
class FipsModuleStatusTest {

  @Test
  void theFipsModuleAloneAndInApprovedOnlyModeIsCompliant() {
    FipsModuleStatus status = FipsModuleStatus.current();

    assertThat(status.approvedOnly()).isTrue();
    assertThat(status.selfTestPassed()).isTrue();
    assertThat(status.providerPosition()).isEqualTo(1);
    assertThat(status.foreignProviders()).isEmpty();
    assertThat(status.compliant()).isTrue();
  }

  @Test
  void aProviderRegisteredLaterMakesTheJvmNonCompliant() {
    FipsOnlyProviders.register("BC", 0); // e.g. a library registering non-FIPS Bouncy Castle

    FipsModuleStatus status = FipsModuleStatus.current();

    assertThat(status.foreignProviders()).containsExactly("BC");
    assertThat(status.compliant()).isFalse();
  }

  @Test
  void theFipsModuleMustComeFirst() {
    FipsOnlyProviders.register("BC", 1);

    assertThat(FipsModuleStatus.current().providerPosition()).isEqualTo(2);
    assertThat(FipsModuleStatus.current().compliant()).isFalse();
  }
}
