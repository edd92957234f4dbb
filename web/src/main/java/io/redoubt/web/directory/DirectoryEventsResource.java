package io.redoubt.web.directory;

import io.redoubt.directory.ReconcileSettings;
import io.redoubt.directory.Reconciler;
import io.redoubt.directory.SyncAlreadyRunningException;
import io.redoubt.web.Roles;
import io.redoubt.web.errors.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/directory-events}: Keycloak's event listener says "this user changed". The
 * body is a hint, never data: Redoubt re-reads the user from Keycloak and applies the
 * reconciliation's rules ({@link Reconciler#recheck}). Only the {@code redoubt-directory-events}
 * role may call it. Kept off {@code /directory/{username}} so that no login name can shadow it.
 */
@Path("directory-events")
@RequestScoped
@RolesAllowed(Roles.DIRECTORY_EVENTS)
@Produces(MediaType.APPLICATION_JSON)
public class DirectoryEventsResource {

  private static final Logger LOG = Logger.getLogger(DirectoryEventsResource.class.getName());
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Set<String> KINDS =
      Set.of("USER_UPDATED", "USER_REMOVED", "GROUP_JOINED", "GROUP_LEFT");

  /** The hint as the listener sends it. */
  public record DirectoryEventRequest(String realm, String userId, String kind) {}

  /** What the re-read did. */
  public record DirectoryEventResponse(String userId, String outcome) {}

  @EJB Reconciler reconciler;
  @Inject ReconcileSettings settings;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response hint(DirectoryEventRequest request) throws InterruptedException {
    String instance = "/api/v1/directory-events";
    if (request == null) {
      return Problem.ofStatus(400, "the request body is missing", instance).toResponse();
    }
    if (request.userId() == null || !USER_ID.matcher(request.userId()).matches()) {
      return Problem.ofStatus(400, "userId must be a Keycloak user id", instance).toResponse();
    }
    if (request.kind() == null || !KINDS.contains(request.kind())) {
      return Problem.ofStatus(400, "kind must be one of " + KINDS, instance).toResponse();
    }
    if (!settings.realm().equals(request.realm())) {
      return Problem.ofStatus(
              400, "Redoubt's directory is realm " + settings.realm() + ", not this one", instance)
          .toResponse();
    }
    try {
      Reconciler.Recheck outcome =
          reconciler.recheck(request.userId(), "keycloak-event:" + request.kind());
      return Response.ok(new DirectoryEventResponse(request.userId(), outcome.name())).build();
    } catch (InterruptedException e) {
      throw e;
    } catch (SyncAlreadyRunningException e) {
      // A run kept the directory: the listener retries (the run may well do the work itself).
      return unavailable("a directory reconciliation is running; try again later", instance);
    } catch (Exception e) {
      // Keycloak could not be read (down, LDAP error behind it): nothing was changed. The listener
      // retries; the reconciliation catches up in any case.
      LOG.log(Level.WARNING, "re-reading user " + request.userId() + " from Keycloak failed", e);
      return unavailable(
          "the directory could not be read; nothing was changed, try again later", instance);
    }
  }

  private static Response unavailable(String detail, String instance) {
    return Response.fromResponse(Problem.ofStatus(503, detail, instance).toResponse())
        .header("Retry-After", "5")
        .build();
  }
}
