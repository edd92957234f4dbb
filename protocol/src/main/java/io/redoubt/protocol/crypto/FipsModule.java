package io.redoubt.protocol.crypto;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.crypto.CryptoServicesRegistrar;

/**
 * The Bouncy Castle FIPS module as the protocol uses it: every JCA call in this module names the
 * provider explicitly, so a lenient provider earlier in the list can never serve a protocol
 * operation.
 */
public final class FipsModule {

  /** JCA name of the Bouncy Castle FIPS provider. */
  public static final String PROVIDER = "BCFIPS";

  private FipsModule() {}

  /**
   * The installed provider.
   *
   * @throws IllegalStateException when the application has not installed BCFIPS
   */
  public static Provider provider() {
    Provider provider = Security.getProvider(PROVIDER);
    if (provider == null) {
      throw new IllegalStateException("the Bouncy Castle FIPS provider (BCFIPS) is not installed");
    }
    return provider;
  }

  /** True when the module runs in approved-only mode, as production requires. */
  public static boolean isApprovedOnly() {
    return CryptoServicesRegistrar.isInApprovedOnlyMode();
  }
}
