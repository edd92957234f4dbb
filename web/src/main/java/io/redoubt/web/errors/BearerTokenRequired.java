package io.redoubt.web.errors;

import jakarta.annotation.Priority;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Every resource requires an authenticated caller unless it says {@code @PermitAll}. Without this,
 * a request with no token reaches the role check and is answered 403, which tells a client to stop
 * trying instead of to log in (RFC 6750 wants 401 with a Bearer challenge).
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenRequired implements ContainerRequestFilter {

  @Context ResourceInfo resource;

  @Override
  public void filter(ContainerRequestContext request) {
    if (isPublic() || request.getSecurityContext().getUserPrincipal() != null) {
      return;
    }
    request.abortWith(
        jakarta.ws.rs.core.Response.fromResponse(
                Problem.ofStatus(401, request.getUriInfo().getRequestUri().getRawPath())
                    .toResponse())
            .header(HttpHeaders.WWW_AUTHENTICATE, BearerChallenge.VALUE)
            .build());
  }

  private boolean isPublic() {
    if (resource == null || resource.getResourceMethod() == null) {
      return false;
    }
    return resource.getResourceMethod().isAnnotationPresent(PermitAll.class)
        || resource.getResourceClass().isAnnotationPresent(PermitAll.class);
  }
}
