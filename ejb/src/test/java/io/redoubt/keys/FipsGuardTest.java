package io.redoubt.keys;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FipsOnlyProviders.class)
class FipsGuardTest {

  @Test
  void letsACompliantJvmStart() {
    assertThatCode(new FipsGuard()::requireApprovedOnlyMode).doesNotThrowAnyException();
  }

  @Test
  void refusesToStartWhenTheJvmIsNotCompliant() {
    FipsOnlyProviders.register("SUN", 0);

    assertThatThrownBy(new FipsGuard()::requireApprovedOnlyMode)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refuses to start")
        .hasMessageContaining("foreign providers=[SUN]");
  }

  @Test
  void theExplicitDevelopmentModeStartsAnyway() {
    FipsOnlyProviders.register("SUN", 0);
    FipsGuard guard = new FipsGuard();
    guard.nonApprovedDevelopmentMode = true;

    assertThatCode(guard::requireApprovedOnlyMode).doesNotThrowAnyException();
  }
}
