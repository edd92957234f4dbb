package io.redoubt.keys;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.crypto.fips.FipsStatus;

/**
 * The state of the FIPS cryptographic module in this JVM, as reported on the health endpoint and by
 * {@code /api/v1/info}.
 *
 * @param module the provider's description, e.g. "BouncyCastle Security Provider (FIPS edition)"
 * @param version the module version
 * @param approvedOnly whether only FIPS-approved algorithms can be used
 * @param selfTestPassed whether the module's power-on self tests passed
 * @param providerPosition 1-based position in the JVM's provider list (1 means it is the default)
 */
public record FipsModuleStatus(
    String module,
    String version,
    boolean approvedOnly,
    boolean selfTestPassed,
    int providerPosition) {

  /** The name the Bouncy Castle FIPS provider registers under. */
  public static final String PROVIDER_NAME = "BCFIPS";

  /** Reads the module's state now. */
  public static FipsModuleStatus current() {
    Provider provider = Security.getProvider(PROVIDER_NAME);
    if (provider == null) {
      return new FipsModuleStatus("none", "", false, false, 0);
    }
    return new FipsModuleStatus(
        provider.getInfo(),
        provider.getVersionStr(),
        CryptoServicesRegistrar.isInApprovedOnlyMode(),
        FipsStatus.isReady(),
        positionOf(provider));
  }

  /** True when the module can be relied on: present, self-tested, approved-only. */
  public boolean compliant() {
    return approvedOnly && selfTestPassed && providerPosition > 0;
  }

  private static int positionOf(Provider provider) {
    Provider[] providers = Security.getProviders();
    for (int i = 0; i < providers.length; i++) {
      if (providers[i].getName().equals(provider.getName())) {
        return i + 1;
      }
    }
    return 0;
  }
}
