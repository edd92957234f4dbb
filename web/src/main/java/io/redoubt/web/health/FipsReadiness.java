package io.redoubt.web.health;

import io.redoubt.keys.FipsModuleStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only in FIPS approved-only mode. In the explicit non-FIPS development mode the server runs,
 * and this check keeps saying so.
 */
@Readiness
@ApplicationScoped
public class FipsReadiness implements HealthCheck {

  @Override
  public HealthCheckResponse call() {
    FipsModuleStatus status = FipsModuleStatus.current();
    return HealthCheckResponse.named("fips")
        .status(status.compliant())
        .withData("module", status.module())
        .withData("version", status.version())
        .withData("approvedOnly", status.approvedOnly())
        .withData("selfTestPassed", status.selfTestPassed())
        .build();
  }
}
