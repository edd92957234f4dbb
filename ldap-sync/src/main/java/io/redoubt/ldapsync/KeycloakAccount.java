package io.redoubt.ldapsync;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The account Keycloak imported for a directory entry, as Redoubt's admin API extension in Keycloak
 * reports it: enough to learn a new member's Keycloak id and to check that it is the entry Redoubt
 * read from LDAP.
 *
 * @param federationLink the id of the user storage (LDAP federation) the account comes from, or
 *     null for an account kept by Keycloak itself
 * @param ldapId the LDAP entry id Keycloak recorded at import ({@code LDAP_ID}), or null
 */
public record KeycloakAccount(
    String id, String username, boolean enabled, String federationLink, String ldapId) {

  static KeycloakAccount of(JsonNode account) {
    return new KeycloakAccount(
        account.path("id").asText(),
        account.path("username").asText(),
        account.path("enabled").asBoolean(false),
        KeycloakUser.text(account, "federationLink"),
        KeycloakUser.text(account, "ldapId"));
  }

  /** Whether the account comes from the directory (see {@link KeycloakUser#federated()}). */
  public boolean federated() {
    return federationLink != null;
  }

  /**
   * Whether this account is the entry with this id: the same id, or no id known on either side (a
   * directory without {@code ldap.uuid-attribute} values).
   */
  public boolean isEntry(String entryId) {
    return ldapId == null || entryId == null || ldapId.equalsIgnoreCase(entryId);
  }
}
