package io.redoubt.keys;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FipsGuardTest {

  private static final class NonFipsProvider extends Provider {
    private static final long serialVersionUID = 1L;

    NonFipsProvider() {
      super("SUN", "17", "stands in for a JDK provider that serves MD5");
    }
  }

  private Provider[] original;

  @BeforeEach
  void fipsModuleFirst() {
    original = Security.getProviders();
    for (Provider provider : original) {
      Security.removeProvider(provider.getName());
    }
    Security.insertProviderAt(new BouncyCastleFipsProvider(), 1);
  }

  @AfterEach
  void restoreProviders() {
    for (Provider provider : Security.getProviders()) {
      Security.removeProvider(provider.getName());
    }
    for (Provider provider : original) {
      Security.addProvider(provider);
    }
  }

  @Test
  void letsACompliantJvmStart() {
    assertThatCode(new FipsGuard()::requireApprovedOnlyMode).doesNotThrowAnyException();
  }

  @Test
  void refusesToStartWhenTheJvmIsNotCompliant() {
    Security.addProvider(new NonFipsProvider());

    assertThatThrownBy(new FipsGuard()::requireApprovedOnlyMode)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refuses to start")
        .hasMessageContaining("foreign providers=[SUN]");
  }

  @Test
  void theExplicitDevelopmentModeStartsAnyway() {
    Security.addProvider(new NonFipsProvider());
    FipsGuard guard = new FipsGuard();
    guard.nonApprovedDevelopmentMode = true;

    assertThatCode(guard::requireApprovedOnlyMode).doesNotThrowAnyException();
  }
}
