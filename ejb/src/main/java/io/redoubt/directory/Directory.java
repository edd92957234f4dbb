package io.redoubt.directory;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Resolves login names to user ids. */
@Stateless
public class Directory {

  @PersistenceContext(unitName = "redoubt")
  EntityManager em;

  private final Clock clock = Clock.systemUTC();

  /**
   * Records what a verified bearer token says: {@code username} is now {@code userId}'s. The
   * identity provider is the authority, so a name another id held before moves to this one.
   */
  public void remember(
      @NotBlank @Size(max = 255) String userId, @NotBlank @Size(max = 255) String username) {
    String name = normalised(username);
    Instant now = clock.instant();
    for (DirectoryUser holder :
        em.createNamedQuery(DirectoryUser.BY_USERNAME, DirectoryUser.class)
            .setParameter("username", name)
            .setLockMode(LockModeType.PESSIMISTIC_WRITE)
            .getResultList()) {
      if (!holder.userId().equals(userId)) {
        em.remove(holder);
        em.flush();
      }
    }
    DirectoryUser user = em.find(DirectoryUser.class, userId, LockModeType.PESSIMISTIC_WRITE);
    if (user == null) {
      em.persist(new DirectoryUser(userId, name, now));
    } else {
      user.seenAs(name, now);
    }
  }

  /** The user currently known by {@code username}, case-insensitively. */
  public Optional<DirectoryUser> byUsername(@NotBlank @Size(max = 255) String username) {
    return em.createNamedQuery(DirectoryUser.BY_USERNAME, DirectoryUser.class)
        .setParameter("username", normalised(username))
        .getResultStream()
        .findFirst();
  }

  /** The user's record, or empty for a user Redoubt has never recorded. */
  public Optional<DirectoryUser> user(@NotBlank String userId) {
    return Optional.ofNullable(em.find(DirectoryUser.class, userId));
  }

  /** The user's directory status, or empty for a user Redoubt has never recorded. */
  public Optional<UserStatus> statusOf(@NotBlank String userId) {
    DirectoryUser user = em.find(DirectoryUser.class, userId);
    return user == null ? Optional.empty() : Optional.of(user.status());
  }

  /** The users with these ids that the directory knows, by id. */
  public Map<String, DirectoryUser> byUserIds(@NotNull Collection<String> userIds) {
    if (userIds.isEmpty()) {
      return Map.of();
    }
    return em.createQuery(
            "SELECT u FROM DirectoryUser u WHERE u.userId IN :ids", DirectoryUser.class)
        .setParameter("ids", userIds)
        .getResultStream()
        .collect(Collectors.toMap(DirectoryUser::userId, u -> u));
  }

  /** Keycloak stores login names in lower case; so does the directory. */
  private static String normalised(String username) {
    return username.strip().toLowerCase(Locale.ROOT);
  }
}
