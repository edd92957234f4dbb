package io.redoubt.keys;

import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
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
 * @param foreignProviders registered providers that could serve non-approved algorithms (a library
 *     that registers, say, the non-FIPS Bouncy Castle provider brings MD5 back); must be empty
 */
public record FipsModuleStatus(
    String module,
    String version,
    boolean approvedOnly,
    boolean selfTestPassed,
    int providerPosition,
    List<String> foreignProviders) {

  /** The name the Bouncy Castle FIPS provider registers under. */
  public static final String PROVIDER_NAME = "BCFIPS";

  /**
   * Providers that may sit beside the FIPS module: its JSSE provider and Redoubt's wrapper of it
   * (which does no cryptography, see {@code io.redoubt.tls.LeanJsseProvider}), the JDK's EC curve
   * tables and PKCS#11 bridge (for the HSM), and WildFly Elytron's authentication mechanisms (SASL,
   * HTTP, password types; no general-purpose ciphers or digests).
   */
  private static final List<String> ALLOWED_PREFIXES =
      List.of(PROVIDER_NAME, "BCJSSE", "RedoubtJSSE", "SunEC", "SunPKCS11", "WildFlyElytron");

  /** Reads the module's state now. */
  public static FipsModuleStatus current() {
    List<String> foreign =
        Arrays.stream(Security.getProviders())
            .map(Provider::getName)
            .filter(name -> ALLOWED_PREFIXES.stream().noneMatch(name::startsWith))
            .toList();
    Provider provider = Security.getProvider(PROVIDER_NAME);
    if (provider == null) {
      return new FipsModuleStatus("none", "", false, false, 0, foreign);
    }
    return new FipsModuleStatus(
        provider.getInfo(),
        provider.getVersionStr(),
        CryptoServicesRegistrar.isInApprovedOnlyMode(),
        FipsStatus.isReady(),
        positionOf(provider),
        foreign);
  }

  /**
   * True when the module can be relied on: present and first, self-tested, approved-only, and alone
   * (no provider registered that could serve a non-approved algorithm).
   */
  public boolean compliant() {
    return approvedOnly && selfTestPassed && providerPosition == 1 && foreignProviders.isEmpty();
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
