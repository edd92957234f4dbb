package io.redoubt.web.directory;

import io.redoubt.directory.DirectoryStatuses;
import io.redoubt.directory.UserStatus;
import io.redoubt.web.errors.Problem;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Offboarding, sessions: a bearer token is refused as soon as its subject is DISABLED or REMOVED in
 * the directory, however long the token still has to live. Users Redoubt has not recorded yet (new,
 * not reconciled) pass: the token's roles already say they were let in by the directory.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class AccountStatusFilter implements ContainerRequestFilter {

  /** The problem type clients branch on: sign-in will not help, the directory said no. */
  public static final String PROBLEM_TYPE = "urn:redoubt:problem:account-disabled";

  @Inject DirectoryStatuses statuses;

  @Override
  public void filter(ContainerRequestContext request) {
    if (!(request.getSecurityContext().getUserPrincipal() instanceof JsonWebToken token)
        || token.getSubject() == null) {
      return;
    }
    if (!statuses.mayUseRedoubt(token.getSubject())) {
      String detail =
          statuses.statusOf(token.getSubject()).orElse(null) == UserStatus.REMOVED
              ? "Your account is no longer in the organisation's directory."
              : "Your account is disabled in the organisation's directory, or no longer in a"
                  + " group that may use Redoubt.";
      request.abortWith(
          new Problem(
                  PROBLEM_TYPE,
                  "Forbidden",
                  403,
                  detail,
                  "/" + request.getUriInfo().getPath().replaceFirst("^/", ""),
                  null)
              .toResponse());
    }
  }
}
