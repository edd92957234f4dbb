package io.redoubt.directory;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Security groups and their members: written by the reconciliation (each group in a transaction of
 * its own, after its source group was read completely), read by the admin API and, later, by
 * policies.
 */
@Stateless
public class SecurityGroups {

  /** What mirroring one group changed. */
  public record Mirrored(int joined, int left) {}

  /** A group with how many members it has. */
  public record Summary(SecurityGroup group, long members) {}

  /** A member as the admin API shows it. */
  public record Member(DirectoryUser user, Instant since) {}

  @PersistenceContext(unitName = "redoubt")
  EntityManager em;

  /**
   * Makes security group {@code name} hold exactly those of {@code memberIds} that Redoubt's
   * directory knows (users never reconciled into Redoubt, such as members outside every access
   * group, are left out). Idempotent; unchanged members keep their {@code since}.
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public Mirrored mirror(String name, String sourceGroup, Set<String> memberIds, Instant at) {
    SecurityGroup group = em.find(SecurityGroup.class, name);
    if (group == null) {
      em.persist(new SecurityGroup(name, sourceGroup, at));
    } else {
      group.synced(sourceGroup, at);
    }
    int left = 0;
    Set<String> current = new HashSet<>();
    for (SecurityGroupMember member :
        em.createNamedQuery(SecurityGroupMember.OF_GROUP, SecurityGroupMember.class)
            .setParameter("group", name)
            .getResultList()) {
      if (memberIds.contains(member.userId())) {
        current.add(member.userId());
      } else {
        em.remove(member);
        left++;
      }
    }
    int joined = 0;
    for (String userId : memberIds) {
      // Only newcomers are looked up: in the steady state a run costs one query per group.
      if (!current.contains(userId) && em.find(DirectoryUser.class, userId) != null) {
        em.persist(new SecurityGroupMember(name, userId, at));
        joined++;
      }
    }
    return new Mirrored(joined, left);
  }

  /** Drops the security groups the settings no longer declare; returns how many members left. */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public int dropAllBut(Collection<String> names) {
    int left = 0;
    for (SecurityGroup group :
        em.createNamedQuery(SecurityGroup.ALL, SecurityGroup.class).getResultList()) {
      if (!names.contains(group.name())) {
        left +=
            em.createQuery("DELETE FROM SecurityGroupMember m WHERE m.groupName = :group")
                .setParameter("group", group.name())
                .executeUpdate();
        em.remove(group);
      }
    }
    return left;
  }

  /** Every security group, by name, with its member count. */
  public List<Summary> all() {
    Map<String, Long> counts = new HashMap<>();
    for (Object[] row :
        em.createNamedQuery(SecurityGroupMember.COUNT_BY_GROUP, Object[].class).getResultList()) {
      counts.put((String) row[0], (Long) row[1]);
    }
    List<Summary> groups = new ArrayList<>();
    for (SecurityGroup group :
        em.createNamedQuery(SecurityGroup.ALL, SecurityGroup.class).getResultList()) {
      groups.add(new Summary(group, counts.getOrDefault(group.name(), 0L)));
    }
    return groups;
  }

  /** The group, or empty if there is none by that name. */
  public Optional<SecurityGroup> group(String name) {
    return Optional.ofNullable(em.find(SecurityGroup.class, name));
  }

  /** The group's members, by username. */
  public List<Member> members(String name) {
    List<Member> members = new ArrayList<>();
    for (Object[] row :
        em.createNamedQuery(SecurityGroupMember.USERS_OF_GROUP, Object[].class)
            .setParameter("group", name)
            .getResultList()) {
      members.add(new Member((DirectoryUser) row[0], (Instant) row[1]));
    }
    return members;
  }
}
