/**
 * The organisation's people as Redoubt knows them: which login name belongs to which user id.
 *
 * <p>Today a user is recorded when they enroll a device, from the claims of their bearer token; the
 * LDAP synchronisation (ldap-sync) will own this table and add status, display name and groups. The
 * user id (the identity provider's subject) is what certificates and the transparency log carry;
 * names may change, ids do not.
 */
package io.redoubt.directory;
