package io.redoubt.ldapsync.keycloak;

import java.util.Objects;

/**
 * "Look at this user again": all Redoubt is told. The kind says what Keycloak saw, for logs and
 * figures only; Redoubt decides from its own read of the user.
 */
public record DirectoryHint(String realm, String userId, Kind kind) {

  /** What Keycloak saw. */
  public enum Kind {
    /** An administrator changed the user (e.g. disabled them). */
    USER_UPDATED,
    /** The user is gone from Keycloak (deleted, or removed as no longer valid in LDAP). */
    USER_REMOVED,
    /** The user joined a group stored in Keycloak. */
    GROUP_JOINED,
    /** The user left a group stored in Keycloak. */
    GROUP_LEFT
  }

  public DirectoryHint {
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(kind, "kind");
  }

  /** The request body Redoubt's {@code POST /api/v1/directory-events} accepts. */
  public String toJson() {
    return "{\"realm\":"
        + quoted(realm)
        + ",\"userId\":"
        + quoted(userId)
        + ",\"kind\":"
        + quoted(kind.name())
        + "}";
  }

  private static String quoted(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
