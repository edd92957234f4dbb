package io.redoubt.ldapsync;

import com.fasterxml.jackson.databind.JsonNode;

/** A Keycloak user as the reconciliation needs it. */
public record KeycloakUser(
    String id, String username, String firstName, String lastName, String email, boolean enabled) {

  /** From Keycloak's UserRepresentation; absent optional fields become null. */
  public static KeycloakUser of(JsonNode user) {
    return new KeycloakUser(
        user.path("id").asText(),
        user.path("username").asText(),
        text(user, "firstName"),
        text(user, "lastName"),
        text(user, "email"),
        user.path("enabled").asBoolean(false));
  }

  /** "First Last", or whichever exists, or null. */
  public String displayName() {
    String name =
        ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).strip();
    return name.isEmpty() ? null : name;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
  }
}
