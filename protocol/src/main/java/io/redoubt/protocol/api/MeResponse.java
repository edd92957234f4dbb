package io.redoubt.protocol.api;

import java.util.List;

/**
 * The caller as the server sees them.
 *
 * @param userId the directory's stable id for the user (the token subject)
 * @param roles the Redoubt roles granted
 * @param groups the directory (LDAP) groups the user belongs to
 */
public record MeResponse(String userId, String username, List<String> roles, List<String> groups) {}
