package io.redoubt.web.directory;

import io.redoubt.protocol.api.MeResponse;
import io.redoubt.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** {@code GET /api/v1/me}: who the bearer token says the caller is. */
@Path("me")
@RequestScoped
public class MeResource {

  /** Keycloak's claim with the user's directory groups (group names, no path). */
  static final String DIRECTORY_GROUPS_CLAIM = "directory_groups";

  @Inject JsonWebToken token;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.USER, Roles.ADMIN, Roles.AUDITOR})
  public MeResponse me() {
    List<String> roles =
        token.getGroups().stream().filter(role -> role.startsWith("redoubt-")).sorted().toList();
    return new MeResponse(token.getSubject(), token.getName(), roles, directoryGroups());
  }

  private List<String> directoryGroups() {
    if (token.getClaim(DIRECTORY_GROUPS_CLAIM) instanceof JsonArray groups) {
      return groups.getValuesAs(JsonString.class).stream()
          .map(JsonString::getString)
          .sorted()
          .toList();
    }
    return List.of();
  }
}
