package io.redoubt.protocol.api;

import java.util.List;

/**
 * A security group (administrators): the Keycloak/LDAP group it mirrors and, when asked for one
 * group, its members.
 *
 * @param syncedAt when a reconciliation last read the source group completely
 * @param members null in the list of all groups; the members when one group is asked for
 */
public record SecurityGroupResponse(
    String name, String sourceGroup, String syncedAt, long memberCount, List<Member> members) {

  /** A member of the group, with their directory status. */
  public record Member(
      String userId, String username, String displayName, String status, String since) {}
}
