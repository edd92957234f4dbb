/**
 * LDAP-driven onboarding and offboarding through Keycloak.
 *
 * <p>Owns, when built: configuring Keycloak's LDAP federation from settings, reconciling Keycloak's
 * users and groups into Redoubt's directory, and the Keycloak event-listener provider (in a module
 * of its own). Invariant to keep: an unreachable, failing or truncated directory never disables
 * anyone.
 */
package io.redoubt.ldapsync;
