package io.redoubt.web.health;

import io.redoubt.keys.OrganisationCa;
import io.redoubt.keys.hsm.HsmUnavailableException;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the HSM signs with the organisation CA key and the signature verifies. */
@Readiness
@ApplicationScoped
public class HsmReadiness implements HealthCheck {

  @EJB OrganisationCa ca;

  @Override
  public HealthCheckResponse call() {
    try {
      ca.probe();
      return new HealthCheckResponse("hsm", Status.UP, Optional.empty());
    } catch (HsmUnavailableException e) {
      return new HealthCheckResponse(
          "hsm", Status.DOWN, Optional.of(Map.of("reason", String.valueOf(e.getMessage()))));
    }
  }
}
