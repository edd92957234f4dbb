package io.redoubt.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FipsModuleStatusTest {

  /** A stand-in for a library's provider registered behind our backs (e.g. non-FIPS BC). */
  private static final class ForeignProvider extends Provider {
    private static final long serialVersionUID = 1L;

    ForeignProvider() {
      super("BC", "1.83", "a general-purpose provider");
    }
  }

  private Provider[] original;

  @BeforeEach
  void onlyTheFipsModule() {
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
    Security.addProvider(new ForeignProvider());

    FipsModuleStatus status = FipsModuleStatus.current();

    assertThat(status.foreignProviders()).containsExactly("BC");
    assertThat(status.compliant()).isFalse();
  }

  @Test
  void theFipsModuleMustComeFirst() {
    Security.insertProviderAt(new ForeignProvider(), 1);

    assertThat(FipsModuleStatus.current().providerPosition()).isEqualTo(2);
    assertThat(FipsModuleStatus.current().compliant()).isFalse();
  }
}
