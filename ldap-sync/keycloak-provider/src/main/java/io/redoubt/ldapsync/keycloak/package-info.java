/**
 * The Keycloak side of the push channel: an event listener that tells Redoubt "this user of this
 * realm changed", after Keycloak commits, from a thread of its own.
 *
 * <p>Invariants: a Keycloak request never waits for Redoubt and never fails because of it (the
 * queue is bounded and {@code offer} drops when full; the periodic reconciliation catches what is
 * dropped); a hint carries only realm, user id and kind, never attributes, so that Redoubt has
 * nothing to trust but its own re-read of Keycloak; no secret (client secret, access token) is ever
 * logged.
 */
package io.redoubt.ldapsync.keycloak;
