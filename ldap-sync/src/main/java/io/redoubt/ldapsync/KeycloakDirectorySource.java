package io.redoubt.ldapsync;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads Redoubt's people from Keycloak for the reconciliation: the members of the access groups,
 * page by page, and single users by id. Group members of an LDAP-mapped group in read-only mode are
 * read from LDAP by Keycloak at the time of the call, so a removal from the group in LDAP shows on
 * the next page read, without waiting for Keycloak's own sync.
 *
 * <p>Every failure is an exception: an unreachable Keycloak, an LDAP error behind it (Keycloak
 * answers 5xx), a missing access group. Callers must treat a failed read as "nothing known", never
 * as "nobody there".
 */
public final class KeycloakDirectorySource {

  /** One page of users; the reconciliation handles it before the next is read. */
  public interface PageHandler {
    void handle(List<KeycloakUser> page) throws Exception;
  }

  private final KeycloakAdminApi api;
  private final int pageSize;

  public KeycloakDirectorySource(KeycloakAdminApi api, int pageSize) {
    if (pageSize < 1 || pageSize > 1000) {
      throw new IllegalArgumentException("page size must be 1 to 1000");
    }
    this.api = api;
    this.pageSize = pageSize;
  }

  /**
   * The group's id, by exact top-level name.
   *
   * @throws IOException if Keycloak has no such group: a renamed or deleted access group must stop
   *     the run, not disable its members
   */
  public String groupId(String name) throws IOException, InterruptedException {
    JsonNode groups =
        api.get("groups?exact=true&briefRepresentation=true&search=" + KeycloakAdminApi.enc(name))
            .orElseThrow(() -> new IOException("Keycloak has no group list"));
    for (JsonNode group : groups) {
      if (group.path("name").asText().equals(name)) {
        return group.path("id").asText();
      }
    }
    throw new IOException("access group '" + name + "' does not exist in Keycloak");
  }

  /**
   * Reads every member of the group, {@code pageSize} at a time, until Keycloak answers an empty
   * page; returns how many there were.
   */
  public long members(String groupId, PageHandler handler) throws Exception {
    return members(groupId, false, handler);
  }

  /**
   * As {@link #members(String, PageHandler)}; {@code brief} asks Keycloak for the brief user
   * representation (id, username, names, email, enabled; no attributes), which is all a membership
   * check needs.
   */
  public long members(String groupId, boolean brief, PageHandler handler) throws Exception {
    long total = 0;
    for (int first = 0; ; first += pageSize) {
      JsonNode page =
          api.get(
                  "groups/"
                      + KeycloakAdminApi.enc(groupId)
                      + "/members?briefRepresentation="
                      + brief
                      + "&first="
                      + first
                      + "&max="
                      + pageSize)
              .orElseThrow(() -> new IOException("access group " + groupId + " vanished mid-run"));
      if (!page.isArray()) {
        throw new IOException("Keycloak answered a member page that is not a list");
      }
      List<KeycloakUser> users = new ArrayList<>(page.size());
      page.forEach(user -> users.add(KeycloakUser.of(user)));
      if (!users.isEmpty()) {
        handler.handle(users);
      }
      total += users.size();
      // Only an empty page ends the list. A short page is not the last one for an LDAP-mapped
      // group: Keycloak pages over the group's member DNs and then drops every DN it cannot turn
      // into a user (an entry outside the users filter, a failed on-demand import, e.g. when its
      // own changed-users sync imports the same person at the same moment). Stopping at a short
      // page read 197 of 10,105 members in the directory benchmark; the rest would have looked
      // like leavers.
      if (users.isEmpty()) {
        return total;
      }
    }
  }

  /** The user, or empty when Keycloak says (404) that there is no such user any more. */
  public Optional<KeycloakUser> user(String id) throws IOException, InterruptedException {
    return api.get("users/" + KeycloakAdminApi.enc(id)).map(KeycloakUser::of);
  }

  /** The names of the groups the user is a member of (directly), as Keycloak sees them now. */
  public List<String> groupsOf(String id) throws IOException, InterruptedException {
    JsonNode groups =
        api.get("users/" + KeycloakAdminApi.enc(id) + "/groups?briefRepresentation=true")
            .orElseThrow(() -> new IOException("user " + id + " vanished mid-run"));
    List<String> names = new ArrayList<>();
    groups.forEach(g -> names.add(g.path("name").asText()));
    return names;
  }
}
