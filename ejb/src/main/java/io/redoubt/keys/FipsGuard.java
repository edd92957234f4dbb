package io.redoubt.keys;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to deploy the application unless the FIPS module is installed, self-tested and in
 * approved-only mode. Every other startup bean depends on it.
 *
 * <p>{@code redoubt.fips.non-approved-development-mode=true} lets a developer run without the
 * module in approved-only mode; the server then says so loudly, on every start, and reports itself
 * non-compliant on its health endpoint. Production installers never set it.
 */
@Singleton
@Startup
public class FipsGuard {

  private static final Logger LOG = Logger.getLogger(FipsGuard.class.getName());

  @Inject
  @ConfigProperty(name = "redoubt.fips.non-approved-development-mode", defaultValue = "false")
  boolean nonApprovedDevelopmentMode;

  @PostConstruct
  void requireApprovedOnlyMode() {
    FipsModuleStatus status = FipsModuleStatus.current();
    if (status.compliant()) {
      LOG.info(
          () ->
              "FIPS module "
                  + status.module()
                  + " "
                  + status.version()
                  + ": approved-only, self tests passed");
      return;
    }
    String problem =
        "FIPS module not usable: provider present="
            + (status.providerPosition() > 0)
            + ", approved-only="
            + status.approvedOnly()
            + ", self tests passed="
            + status.selfTestPassed()
            + ", first provider="
            + (status.providerPosition() == 1)
            + ", foreign providers="
            + status.foreignProviders();
    if (!nonApprovedDevelopmentMode) {
      throw new IllegalStateException(
          problem
              + ". Redoubt refuses to start. Start the JVM with the Bouncy Castle FIPS module and"
              + " -Dorg.bouncycastle.fips.approved_only=true (see the FIPS and HSM guide).");
    }
    for (int i = 0; i < 3; i++) {
      LOG.severe(
          "*** NON-FIPS DEVELOPMENT MODE *** "
              + problem
              + ". Never run this configuration with real users or real data.");
    }
  }
}
