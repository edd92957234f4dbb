package io.redoubt.web.health;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /api/v1/health/live} and {@code /api/v1/health/ready}, in the MicroProfile Health JSON
 * format (200 when UP, 503 when DOWN).
 *
 * <p>WildFly normally serves health on its HTTP management interface, which cannot run in this JVM
 * (it needs MD5, which the FIPS configuration removes; see the FIPS and HSM guide), so the
 * application serves its own checks. Load balancers get the status only; the checks' data is shown
 * to loopback callers (the operator on the host).
 */
@Path("health")
@RequestScoped
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

  @Inject @Any @Readiness Instance<HealthCheck> readinessChecks;
  @Inject @Any @Liveness Instance<HealthCheck> livenessChecks;
  @Context HttpServletRequest request;

  @GET
  @Path("ready")
  public Response ready() {
    return report(readinessChecks);
  }

  @GET
  @Path("live")
  public Response live() {
    return report(livenessChecks);
  }

  private Response report(Instance<HealthCheck> checks) {
    boolean detailed = fromLoopback();
    boolean up = true;
    List<Map<String, Object>> results = new ArrayList<>();
    for (HealthCheck check : checks) {
      HealthCheckResponse response = check.call();
      up &= response.getStatus() == HealthCheckResponse.Status.UP;
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("name", response.getName());
      result.put("status", response.getStatus().name());
      if (detailed && response.getData().isPresent()) {
        result.put("data", response.getData().get());
      }
      results.add(result);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("checks", results);
    return Response.status(up ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE)
        .entity(body)
        .build();
  }

  private boolean fromLoopback() {
    try {
      return request != null && InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
