package io.redoubt.web.messaging;

import io.redoubt.protocol.auth.RequestProof;
import io.redoubt.web.errors.Problem;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Requires a valid {@code Redoubt-Device-Proof} on {@link DeviceProofRequired} endpoints, after the
 * bearer token and roles are checked, and records the proved device for the resource.
 */
@Provider
@DeviceProofRequired
@Priority(Priorities.AUTHORIZATION + 10)
public class DeviceProofFilter implements ContainerRequestFilter {

  @Inject DeviceProofs proofs;
  @Inject ProvedDevice proved;

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getRequestUri().getRawPath();
    if (!(request.getSecurityContext().getUserPrincipal() instanceof JsonWebToken token)
        || token.getSubject() == null) {
      return; // unauthenticated requests were already answered 401 by the roles check
    }
    try {
      proved.set(
          proofs.verify(
              request.getHeaderString(RequestProof.HEADER),
              request.getMethod(),
              path,
              bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)),
              token.getSubject()));
    } catch (DeviceProofException e) {
      request.abortWith(
          new Problem(
                  DeviceProofException.PROBLEM_TYPE,
                  e.status() == 401 ? "Unauthorized" : "Forbidden",
                  e.status(),
                  e.getMessage(),
                  path,
                  null)
              .toResponse());
    }
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return "";
    }
    return authorization.substring(7).strip();
  }
}
