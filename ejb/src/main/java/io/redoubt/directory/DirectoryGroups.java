package io.redoubt.directory;

import java.util.List;
import java.util.Map;

/**
 * The Keycloak groups a reconciliation reads: the access groups (members may use Redoubt) and the
 * sources of the security groups.
 *
 * @param accessGroups Keycloak group names, at least one
 * @param securityGroups security-group name to the Keycloak group it mirrors
 */
public record DirectoryGroups(List<String> accessGroups, Map<String, String> securityGroups) {

  public DirectoryGroups {
    if (accessGroups.isEmpty()) {
      throw new IllegalArgumentException("no access group is configured");
    }
    accessGroups = List.copyOf(accessGroups);
    securityGroups = Map.copyOf(securityGroups);
  }
}
