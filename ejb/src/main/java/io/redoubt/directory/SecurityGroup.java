package io.redoubt.directory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A named group of Redoubt users that mirrors one Keycloak group (an LDAP group, through Keycloak's
 * group mapper). Policies refer to security groups by name; which LDAP group fills one is the
 * settings file's business ({@code security-group.NAME=GROUP}).
 */
@Entity
@Table(name = "security_group")
@NamedQuery(name = SecurityGroup.ALL, query = "SELECT g FROM SecurityGroup g ORDER BY g.name")
public class SecurityGroup {

  static final String ALL = "SecurityGroup.all";

  @Id
  @Column(length = 64)
  private String name;

  @Column(name = "source_group", nullable = false)
  private String sourceGroup;

  @Column(name = "synced_at", nullable = false)
  private Instant syncedAt;

  protected SecurityGroup() {}

  SecurityGroup(String name, String sourceGroup, Instant syncedAt) {
    this.name = name;
    this.sourceGroup = sourceGroup;
    this.syncedAt = syncedAt;
  }

  void synced(String source, Instant at) {
    sourceGroup = source;
    syncedAt = at;
  }

  public String name() {
    return name;
  }

  public String sourceGroup() {
    return sourceGroup;
  }

  /** When a reconciliation last read the source group completely. */
  public Instant syncedAt() {
    return syncedAt;
  }
}
