/**
 * The organisation's people as Redoubt knows them: which login name belongs to which user id,
 * whether they may use Redoubt (status), and which security groups they are in.
 *
 * <p>A user is recorded when they enroll a device (from the claims of their bearer token) or when
 * the reconciliation ({@link io.redoubt.directory.Reconciler}) finds them in an access group in
 * Keycloak; the reconciliation owns status, display name, email and security-group membership. The
 * user id (the identity provider's subject) is what certificates and the transparency log carry;
 * names may change, ids do not. Security groups are named by the settings file and follow a
 * Keycloak (LDAP) group; policies refer to them by name.
 */
package io.redoubt.directory;
