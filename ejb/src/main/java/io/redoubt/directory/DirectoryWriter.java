package io.redoubt.directory;

import io.redoubt.ldapsync.KeycloakUser;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The reconciliation's writes, each in a transaction of its own, so that a run is a sequence of
 * small commits: it can stop anywhere and the next run carries on (every step is idempotent).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class DirectoryWriter {

  /** What one page of access-group members did, and which of them must lose access. */
  public record MembersApplied(SyncCounts counts, List<String> toDisable) {}

  @PersistenceContext(unitName = "redoubt")
  EntityManager em;

  @Inject Event<UserOffboarded> offboarded;
  @Inject Event<UserStatusChanged> statusChanged;

  private final Clock clock = Clock.systemUTC();

  public long startRun(boolean full, String triggeredBy) {
    SyncRun run = new SyncRun(full, triggeredBy, clock.instant());
    em.persist(run);
    em.flush();
    return run.runId();
  }

  /**
   * Records how a run ended. A run that read the directory completely (SUCCEEDED or HELD)
   * supersedes every earlier HELD run: their changes were decided on an older read and can no
   * longer be confirmed.
   */
  public void finishRun(long runId, SyncRun.Outcome outcome, SyncCounts counts, String detail) {
    finishPartialRun(runId, outcome, counts, detail);
    if (outcome == SyncRun.Outcome.SUCCEEDED || outcome == SyncRun.Outcome.HELD) {
      for (SyncRun older :
          em.createNamedQuery(SyncRun.HELD_BEFORE, SyncRun.class)
              .setParameter("held", SyncRun.Outcome.HELD)
              .setParameter("runId", runId)
              .setLockMode(LockModeType.PESSIMISTIC_WRITE)
              .getResultList()) {
        older.supersededBy(runId);
      }
    }
  }

  /**
   * Records how a run that did not read the directory completely ended (a single-user re-check
   * after a push). It supersedes no held run: it decided about one user only, and a held run's
   * other changes were not read again.
   */
  public void finishPartialRun(
      long runId, SyncRun.Outcome outcome, SyncCounts counts, String detail) {
    em.find(SyncRun.class, runId).finish(outcome, counts, detail, clock.instant());
  }

  /** Writes what a running run is doing and its counts so far, for the operator to watch. */
  public void progress(long runId, String phase, SyncCounts counts) {
    em.find(SyncRun.class, runId).progress(phase, counts);
  }

  /**
   * Members of an access group: new ones are recorded (onboarding), names and emails follow the
   * directory, enabled members who were DISABLED or REMOVED become ACTIVE again. Members Keycloak
   * reports disabled and who are ACTIVE here are returned, not disabled: that is the run's decision
   * once it has read everything.
   */
  public MembersApplied applyMembers(List<KeycloakUser> page, Instant at) {
    SyncCounts counts = new SyncCounts();
    List<String> toDisable = new ArrayList<>();
    for (KeycloakUser member : page) {
      counts.seen++;
      String username = member.username().strip().toLowerCase(Locale.ROOT);
      DirectoryUser user =
          em.find(DirectoryUser.class, member.id(), LockModeType.PESSIMISTIC_WRITE);
      if (user == null) {
        releaseUsername(username, member.id());
        user = new DirectoryUser(member.id(), username, at);
        user.foundInDirectory(username, member.displayName(), member.email(), at);
        user.changeStatus(member.enabled() ? UserStatus.ACTIVE : UserStatus.DISABLED, at);
        em.persist(user);
        counts.created++;
        continue;
      }
      if (!username.equals(user.username())) {
        releaseUsername(username, member.id());
      }
      if (user.foundInDirectory(username, member.displayName(), member.email(), at)) {
        counts.updated++;
      }
      if (member.enabled() && user.status() != UserStatus.ACTIVE) {
        user.changeStatus(UserStatus.ACTIVE, at);
        statusChanged.fire(new UserStatusChanged(user.userId(), UserStatus.ACTIVE));
        counts.enabled++;
      } else if (!member.enabled() && user.status() == UserStatus.ACTIVE) {
        toDisable.add(user.userId());
      }
    }
    return new MembersApplied(counts, toDisable);
  }

  /**
   * A user found in Keycloak but not (any more) in an access group: name and email still follow.
   */
  public void touch(String userId, KeycloakUser found, Instant at) {
    // Locked like every other write of the row: the update writes every column, so an unlocked
    // read here could put back the status an administrator's confirm changed meanwhile (seen in
    // DirectorySafetyIT: confirmed users ACTIVE again).
    DirectoryUser user = em.find(DirectoryUser.class, userId, LockModeType.PESSIMISTIC_WRITE);
    if (user != null && user.username().equals(found.username().toLowerCase(Locale.ROOT))) {
      user.foundInDirectory(user.username(), found.displayName(), found.email(), at);
    }
  }

  /** Up to {@code limit} users in one of {@code statuses}, by id after {@code after}. */
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public List<DirectoryUser> withStatus(Collection<UserStatus> statuses, String after, int limit) {
    return em.createNamedQuery(DirectoryUser.IDS_WITH_STATUS, DirectoryUser.class)
        .setParameter("statuses", statuses)
        .setParameter("after", after)
        .setMaxResults(limit)
        .getResultList();
  }

  /** The user's status in the directory, if Redoubt knows them. */
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public Optional<UserStatus> statusOf(String userId) {
    return Optional.ofNullable(em.find(DirectoryUser.class, userId)).map(DirectoryUser::status);
  }

  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public long countActive() {
    return em.createNamedQuery(DirectoryUser.COUNT_WITH_STATUS, Long.class)
        .setParameter("status", UserStatus.ACTIVE)
        .getSingleResult();
  }

  /**
   * Sets the user's status. Leaving ACTIVE fires {@link UserOffboarded} in this transaction (the
   * devices are revoked with it); every change tells the caches after commit.
   *
   * @return whether anything changed
   */
  public boolean changeStatus(String userId, UserStatus to, Long runId) {
    DirectoryUser user = em.find(DirectoryUser.class, userId, LockModeType.PESSIMISTIC_WRITE);
    if (user == null || user.status() == to) {
      return false;
    }
    user.changeStatus(to, clock.instant());
    if (to != UserStatus.ACTIVE) {
      offboarded.fire(new UserOffboarded(userId, user.username(), to, runId));
    }
    statusChanged.fire(new UserStatusChanged(userId, to));
    return true;
  }

  /** Records the changes a run holds back, and why. */
  public void hold(long runId, Map<String, UserStatus> changes) {
    changes.forEach((userId, status) -> em.persist(new HeldChange(runId, userId, status)));
  }

  /**
   * Applies a held run's changes, all in this transaction, and marks it confirmed.
   *
   * @throws UnknownSyncRunException unless the run exists and is held
   */
  public SyncRun confirm(long runId, String admin) throws UnknownSyncRunException {
    SyncRun run = em.find(SyncRun.class, runId, LockModeType.PESSIMISTIC_WRITE);
    if (run == null) {
      throw new UnknownSyncRunException("no run " + runId);
    }
    if (run.outcome() == SyncRun.Outcome.SUPERSEDED) {
      throw new UnknownSyncRunException(
          "run "
              + runId
              + " was superseded by a later run that read the directory again; confirm the newest"
              + " held run, if any");
    }
    if (run.outcome() != SyncRun.Outcome.HELD) {
      throw new UnknownSyncRunException(
          "run " + runId + " is " + run.outcome() + ", not HELD: nothing to confirm");
    }
    int disabled = 0;
    int removed = 0;
    for (HeldChange change :
        em.createNamedQuery(HeldChange.OF_RUN, HeldChange.class)
            .setParameter("runId", runId)
            .getResultList()) {
      if (changeStatus(change.userId(), change.newStatus(), runId)) {
        if (change.newStatus() == UserStatus.REMOVED) {
          removed++;
        } else {
          disabled++;
        }
      }
    }
    run.confirmed(admin, disabled, removed, clock.instant());
    return run;
  }

  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public List<SyncRun> runs(int limit) {
    return em.createNamedQuery(SyncRun.NEWEST, SyncRun.class).setMaxResults(limit).getResultList();
  }

  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public Optional<SyncRun> run(long runId) {
    return Optional.ofNullable(em.find(SyncRun.class, runId));
  }

  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public List<HeldChange> held(long runId) {
    return em.createNamedQuery(HeldChange.OF_RUN, HeldChange.class)
        .setParameter("runId", runId)
        .getResultList();
  }

  /** When the last full check that read the whole directory started, if ever. */
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public Optional<Instant> lastFullCheck() {
    return Optional.ofNullable(
        em.createNamedQuery(SyncRun.NEWEST_FULL_SUCCESS, Instant.class)
            .setParameter(
                "outcomes",
                List.of(
                    SyncRun.Outcome.SUCCEEDED,
                    SyncRun.Outcome.HELD,
                    SyncRun.Outcome.CONFIRMED,
                    SyncRun.Outcome.SUPERSEDED))
            .getSingleResult());
  }

  /**
   * The directory (Keycloak) is the authority on login names: a name now held by another id is
   * taken from its old holder, as {@link Directory#remember} does at enrollment.
   */
  private void releaseUsername(String username, String newHolder) {
    for (DirectoryUser holder :
        em.createNamedQuery(DirectoryUser.BY_USERNAME, DirectoryUser.class)
            .setParameter("username", username)
            .setLockMode(LockModeType.PESSIMISTIC_WRITE)
            .getResultList()) {
      if (!holder.userId().equals(newHolder)) {
        em.remove(holder);
        em.flush();
      }
    }
  }
}
