package io.redoubt.ldapsync.keycloak;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Adds {@code /admin/realms/{realm}/redoubt-directory} to Keycloak's admin API: Keycloak
 * authenticates the caller as for any admin endpoint, and {@link DirectoryAccountsResource} checks
 * that they may view users. Stateless; nothing to configure.
 */
public class DirectoryAccountsResourceProviderFactory
    implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider {

  /** The provider id, which is also the path segment below the realm's admin API. */
  public static final String ID = "redoubt-directory";

  @Override
  public AdminRealmResourceProvider create(KeycloakSession session) {
    return this;
  }

  @Override
  public Object getResource(
      KeycloakSession session,
      RealmModel realm,
      AdminPermissionEvaluator auth,
      AdminEventBuilder adminEvent) {
    return new DirectoryAccountsResource(session, realm, auth);
  }

  @Override
  public void init(Config.Scope config) {
    // Nothing to configure.
  }

  @Override
  public void postInit(KeycloakSessionFactory factory) {
    // Nothing to start.
  }

  @Override
  public void close() {
    // Holds nothing.
  }

  @Override
  public String getId() {
    return ID;
  }
}
