package io.redoubt.ldapsync;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Keycloak user as the reconciliation needs it.
 *
 * @param federationLink the id of the user storage (LDAP federation) the user comes from, or null
 *     for an account kept by Keycloak itself
 */
public record KeycloakUser(
    String id,
    String username,
    String firstName,
    String lastName,
    String email,
    boolean enabled,
    String federationLink) {

  /** From Keycloak's UserRepresentation; absent optional fields become null. */
  public static KeycloakUser of(JsonNode user) {
    return new KeycloakUser(
        user.path("id").asText(),
        user.path("username").asText(),
        text(user, "firstName"),
        text(user, "lastName"),
        text(user, "email"),
        user.path("enabled").asBoolean(false),
        text(user, "federationLink"));
  }

  /**
   * Whether the account comes from the directory. Only such accounts can be the directory's people:
   * an account Keycloak keeps itself never gains access by having a member's username.
   */
  public boolean federated() {
    return federationLink != null;
  }

  /** "First Last", or whichever exists, or null. */
  public String displayName() {
    String name =
        ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).strip();
    return name.isEmpty() ? null : name;
  }

  /** A text field of Keycloak's JSON, or null when absent, null or blank. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
  }
}
