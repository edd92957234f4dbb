package io.redoubt.web.health;

import io.redoubt.keys.OrganisationCa;
import io.redoubt.keys.hsm.HsmUnavailableException;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the HSM signs with the organisation CA key and the signature verifies. */
@Readiness
@ApplicationScoped
public class HsmReadiness implements HealthCheck {

  @EJB OrganisationCa ca;

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("hsm");
    try {
      ca.probe();
      return response.up().build();
    } catch (HsmUnavailableException e) {
      return response.down().withData("reason", e.getMessage()).build();
    }
  }
}
