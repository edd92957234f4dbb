package io.redoubt.directory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A user's membership of a security group, as the last reconciliation found it. */
@Entity
@Table(name = "security_group_member")
@IdClass(SecurityGroupMember.Key.class)
@NamedQuery(
    name = SecurityGroupMember.OF_GROUP,
    query = "SELECT m FROM SecurityGroupMember m WHERE m.groupName = :group")
@NamedQuery(
    name = SecurityGroupMember.COUNT_BY_GROUP,
    query = "SELECT m.groupName, COUNT(m) FROM SecurityGroupMember m GROUP BY m.groupName")
@NamedQuery(
    name = SecurityGroupMember.USERS_OF_GROUP,
    query =
        "SELECT u, m.since FROM SecurityGroupMember m, DirectoryUser u"
            + " WHERE m.groupName = :group AND u.userId = m.userId ORDER BY u.username")
public class SecurityGroupMember {

  static final String OF_GROUP = "SecurityGroupMember.ofGroup";
  static final String COUNT_BY_GROUP = "SecurityGroupMember.countByGroup";
  static final String USERS_OF_GROUP = "SecurityGroupMember.usersOfGroup";

  /** The composite key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    String groupName;
    String userId;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(k.groupName, groupName)
          && Objects.equals(k.userId, userId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(groupName, userId);
    }
  }

  @Id
  @Column(name = "group_name", length = 64)
  private String groupName;

  @Id
  @Column(name = "user_id")
  private String userId;

  @Column(nullable = false)
  private Instant since;

  protected SecurityGroupMember() {}

  SecurityGroupMember(String groupName, String userId, Instant since) {
    this.groupName = groupName;
    this.userId = userId;
    this.since = since;
  }

  public String userId() {
    return userId;
  }

  public Instant since() {
    return since;
  }
}
