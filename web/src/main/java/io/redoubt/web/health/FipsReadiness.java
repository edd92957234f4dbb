package io.redoubt.web.health;

import io.redoubt.keys.FipsModuleStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
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
    return new HealthCheckResponse(
        "fips",
        status.compliant() ? Status.UP : Status.DOWN,
        Optional.of(
            Map.of(
                "module", status.module(),
                "version", status.version(),
                "approvedOnly", status.approvedOnly(),
                "selfTestPassed", status.selfTestPassed(),
                "foreignProviders", String.join(",", status.foreignProviders()))));
  }
}
