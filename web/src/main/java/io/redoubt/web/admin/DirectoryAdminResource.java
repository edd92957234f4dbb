package io.redoubt.web.admin;

import io.redoubt.devices.DeviceRegistry;
import io.redoubt.directory.Directory;
import io.redoubt.directory.DirectoryUser;
import io.redoubt.directory.DirectoryWriter;
import io.redoubt.directory.Reconciler;
import io.redoubt.directory.SecurityGroup;
import io.redoubt.directory.SecurityGroups;
import io.redoubt.directory.SyncAlreadyRunningException;
import io.redoubt.directory.SyncRun;
import io.redoubt.directory.UnknownSyncRunException;
import io.redoubt.directory.UnknownUserException;
import io.redoubt.protocol.api.SecurityGroupResponse;
import io.redoubt.protocol.api.SyncRunResponse;
import io.redoubt.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** {@code /api/v1/admin/directory}: the directory reconciliation, for administrators. */
@Path("admin/directory")
@RequestScoped
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class DirectoryAdminResource {

  /** A user's directory record with their devices. */
  public record UserView(
      String userId,
      String username,
      String displayName,
      String email,
      String status,
      String statusChangedAt,
      String lastInDirectory,
      List<DeviceView> devices) {}

  /** A device's standing. */
  public record DeviceView(
      String deviceId, String name, String status, String revokedAt, Long revokedLeaf) {}

  @EJB Reconciler reconciler;
  @EJB DirectoryWriter writer;
  @EJB Directory directory;
  @EJB DeviceRegistry devices;
  @EJB SecurityGroups securityGroups;
  @Inject JsonWebToken token;

  /** The newest runs first. */
  @GET
  @Path("sync-runs")
  public List<SyncRunResponse> runs(@QueryParam("limit") @DefaultValue("20") int limit) {
    return writer.runs(Math.max(1, Math.min(limit, 200))).stream().map(this::view).toList();
  }

  /** Runs a reconciliation now (a full check with {@code ?full=true}); answers when it is done. */
  @POST
  @Path("sync-runs")
  public SyncRunResponse runNow(@QueryParam("full") @DefaultValue("false") boolean full)
      throws SyncAlreadyRunningException {
    return view(reconciler.run(full, "admin:" + token.getName()));
  }

  /** Applies the changes a held run waits to make. */
  @POST
  @Path("sync-runs/{runId}/confirm")
  public SyncRunResponse confirm(@PathParam("runId") long runId) throws UnknownSyncRunException {
    return view(writer.confirm(runId, token.getName()));
  }

  @GET
  @Path("users/{username}")
  public UserView user(@PathParam("username") String username) throws UnknownUserException {
    if (username == null || username.isBlank() || username.length() > 255) {
      throw new UnknownUserException("no user " + username);
    }
    DirectoryUser user =
        directory
            .byUsername(username)
            .orElseThrow(() -> new UnknownUserException("no user " + username + " is recorded"));
    return new UserView(
        user.userId(),
        user.username(),
        user.displayName(),
        user.email(),
        user.status().name(),
        text(user.statusChangedAt()),
        text(user.lastInDirectory()),
        devices.devicesOf(user.userId()).stream()
            .map(
                d ->
                    new DeviceView(
                        d.deviceId(),
                        d.name(),
                        d.status().name(),
                        text(d.revokedAt()),
                        d.revokedLeaf()))
            .toList());
  }

  private SyncRunResponse view(SyncRun run) {
    List<SyncRunResponse.HeldChange> held =
        run.outcome() == SyncRun.Outcome.HELD
            ? writer.held(run.runId()).stream()
                .map(
                    h ->
                        new SyncRunResponse.HeldChange(
                            h.userId(),
                            directory.user(h.userId()).map(DirectoryUser::username).orElse(null),
                            h.newStatus().name()))
                .toList()
            : List.of();
    return new SyncRunResponse(
        run.runId(),
        run.fullCheck(),
        run.triggeredBy(),
        text(run.startedAt()),
        text(run.finishedAt()),
        run.outcome().name(),
        run.phase(),
        run.examined(),
        run.seen(),
        run.created(),
        run.updated(),
        run.enabled(),
        run.disabled(),
        run.removed(),
        run.groupJoins(),
        run.groupLeaves(),
        run.detail(),
        held,
        run.confirmedBy(),
        text(run.confirmedAt()));
  }

  /** Every security group with its source group and member count. */
  @GET
  @Path("security-groups")
  public List<SecurityGroupResponse> securityGroups() {
    return securityGroups.all().stream()
        .map(
            g ->
                new SecurityGroupResponse(
                    g.group().name(),
                    g.group().sourceGroup(),
                    text(g.group().syncedAt()),
                    g.members(),
                    null))
        .toList();
  }

  /** One security group with its members, by username. */
  @GET
  @Path("security-groups/{name}")
  public SecurityGroupResponse securityGroup(@PathParam("name") String name) {
    SecurityGroup group =
        securityGroups
            .group(name)
            .orElseThrow(() -> new NotFoundException("no security group " + name));
    List<SecurityGroupResponse.Member> members =
        securityGroups.members(group.name()).stream()
            .map(
                m ->
                    new SecurityGroupResponse.Member(
                        m.user().userId(),
                        m.user().username(),
                        m.user().displayName(),
                        m.user().status().name(),
                        text(m.since())))
            .toList();
    return new SecurityGroupResponse(
        group.name(), group.sourceGroup(), text(group.syncedAt()), members.size(), members);
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }
}
