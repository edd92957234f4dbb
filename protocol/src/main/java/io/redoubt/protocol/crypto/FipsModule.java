package io.redoubt.protocol.crypto;

import java.security.Provider;
import java.security.SecureRandom;
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

  /**
   * The FIPS module's own DRBG. Key generation and signing pass it explicitly: left to the JCA
   * default, an application that lists BCFIPS after the JDK's providers (as the CLI does, so that
   * libraries asking the JDK for something by name keep working) would get the JDK's generator,
   * which approved-only mode refuses.
   */
  public static SecureRandom random() {
    return Holder.RANDOM;
  }

  private static final class Holder {
    private static final SecureRandom RANDOM;

    static {
      try {
        RANDOM = SecureRandom.getInstance("DEFAULT", provider());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("the FIPS provider has no DEFAULT DRBG", e);
      }
    }
  }

  /** True when the module runs in approved-only mode, as production requires. */
  public static boolean isApprovedOnly() {
    return CryptoServicesRegistrar.isInApprovedOnlyMode();
  }
}
