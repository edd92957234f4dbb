package io.redoubt.keys;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test a JVM provider list holding the FIPS module alone, as the server's java.security
 * does, and restores the original list afterwards. {@link #register} adds a stand-in for a provider
 * that a library might register behind the server's back.
 */
final class FipsOnlyProviders implements BeforeEachCallback, AfterEachCallback {

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(FipsOnlyProviders.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    Provider[] original = Security.getProviders();
    context.getStore(STORE).put("original", original);
    removeAll();
    Security.insertProviderAt(new BouncyCastleFipsProvider(), 1);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    removeAll();
    for (Provider provider : context.getStore(STORE).get("original", Provider[].class)) {
      Security.addProvider(provider);
    }
  }

  /** Registers an empty provider called {@code name} at {@code position} (1-based; 0 = last). */
  static void register(String name, int position) {
    Provider stranger =
        new Provider(name, "0", "stands in for a non-FIPS provider") {
          private static final long serialVersionUID = 1L;
        };
    if (position > 0) {
      Security.insertProviderAt(stranger, position);
    } else {
      Security.addProvider(stranger);
    }
  }

  private static void removeAll() {
    for (Provider provider : Security.getProviders()) {
      Security.removeProvider(provider.getName());
    }
  }
}
