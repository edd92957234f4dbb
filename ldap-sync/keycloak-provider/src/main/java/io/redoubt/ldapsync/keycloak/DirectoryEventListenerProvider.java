package io.redoubt.ldapsync.keycloak;

import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Turns admin events about users into hints: a user updated (enabled flag, attributes) or deleted
 * by an administrator, a user added to or removed from a group through the admin API. Login and
 * other user events say nothing about directory standing and are ignored.
 */
public class DirectoryEventListenerProvider implements EventListenerProvider {

  private final KeycloakSession session;
  private final DirectoryEventListenerProviderFactory factory;

  DirectoryEventListenerProvider(
      KeycloakSession session, DirectoryEventListenerProviderFactory factory) {
    this.session = session;
    this.factory = factory;
  }

  @Override
  public void onEvent(Event event) {
    // Logins, token refreshes, profile updates by the user: not a change of access.
  }

  @Override
  public void onEvent(AdminEvent event, boolean includeRepresentation) {
    if (event.getError() != null) {
      return;
    }
    DirectoryHint.Kind kind = kindOf(event.getResourceType(), event.getOperationType());
    String userId = userIdOf(event.getResourcePath());
    if (kind == null || userId == null) {
      return;
    }
    factory.hintAfterCommit(session, realmName(event), userId, kind);
  }

  @Override
  public void close() {}

  /** The hint an admin event is worth, or null. */
  static DirectoryHint.Kind kindOf(ResourceType resource, OperationType operation) {
    if (resource == ResourceType.USER) {
      return switch (operation) {
        case UPDATE, ACTION -> DirectoryHint.Kind.USER_UPDATED;
        case DELETE -> DirectoryHint.Kind.USER_REMOVED;
        default -> null; // a user created by an admin is onboarded by the reconciliation
      };
    }
    if (resource == ResourceType.GROUP_MEMBERSHIP) {
      return switch (operation) {
        case CREATE -> DirectoryHint.Kind.GROUP_JOINED;
        case DELETE -> DirectoryHint.Kind.GROUP_LEFT;
        default -> null;
      };
    }
    return null;
  }

  /** The id in {@code users/{id}} or {@code users/{id}/groups/{groupId}}, or null. */
  static String userIdOf(String resourcePath) {
    if (resourcePath == null || !resourcePath.startsWith("users/")) {
      return null;
    }
    String rest = resourcePath.substring("users/".length());
    int slash = rest.indexOf('/');
    String id = slash < 0 ? rest : rest.substring(0, slash);
    return id.isEmpty() ? null : id;
  }

  private String realmName(AdminEvent event) {
    if (event.getRealmName() != null) {
      return event.getRealmName();
    }
    RealmModel realm = session.realms().getRealm(event.getRealmId());
    return realm == null ? null : realm.getName();
  }
}
