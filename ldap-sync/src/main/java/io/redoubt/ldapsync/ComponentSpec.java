package io.redoubt.ldapsync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Keycloak component as Redoubt wants it: name, provider, and the config entries Redoubt owns.
 * Entries Keycloak adds itself (e.g. {@code lastSync}) are not compared and are kept on update.
 */
public record ComponentSpec(
    String name, String providerId, String providerType, Map<String, List<String>> config) {

  public ComponentSpec {
    config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
  }

  /** Keycloak's component type of user-storage providers (the LDAP federation). */
  public static final String USER_STORAGE = "org.keycloak.storage.UserStorageProvider";

  /** Keycloak's component type of LDAP mappers. */
  public static final String LDAP_MAPPER = "org.keycloak.storage.ldap.mappers.LDAPStorageMapper";
}
