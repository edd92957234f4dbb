package io.redoubt.directory;

import io.redoubt.ldapsync.KeycloakUser;
import io.redoubt.persistence.Chunks;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

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

  private static final int KNOWN_CHUNK = 1_000;

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

  /**
   * Marks FAILED every run still recorded as RUNNING: called at start-up, when no run of this node
   * can be going (a node runs one at a time, and only its own timer and requests start them).
   *
   * @return how many there were
   */
  public int failAbandonedRuns() {
    List<SyncRun> running =
        em.createNamedQuery(SyncRun.WITH_OUTCOME, SyncRun.class)
            .setParameter("outcome", SyncRun.Outcome.RUNNING)
            .setLockMode(LockModeType.PESSIMISTIC_WRITE)
            .getResultList();
    running.forEach(
        run -> run.abandoned("the server stopped while the run was going", clock.instant()));
    return running.size();
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
    return applyMembers(page, Map.of(), at);
  }

  /**
   * As {@link #applyMembers(List, Instant)}, recording for each user the id of the directory entry
   * they were matched to ({@code entryIds}: user id to the entry's uuid; users it does not name
   * keep theirs).
   */
  public MembersApplied applyMembers(
      List<KeycloakUser> page, Map<String, String> entryIds, Instant at) {
    SyncCounts counts = new SyncCounts();
    List<String> toDisable = new ArrayList<>();
    if (page.isEmpty()) {
      return new MembersApplied(counts, toDisable);
    }
    // A fixed handful of statements per page, not three per member: one locking read of the
    // page's rows, one of the rows holding usernames the page claims, the inserts and updates of
    // what changed, and one update of "last seen" for everyone else.
    Map<String, DirectoryUser> existing = new HashMap<>();
    for (DirectoryUser user :
        em.createNamedQuery(DirectoryUser.BY_IDS, DirectoryUser.class)
            .setParameter("ids", page.stream().map(KeycloakUser::id).toList())
            .setLockMode(LockModeType.PESSIMISTIC_WRITE)
            .getResultList()) {
      existing.put(user.userId(), user);
    }
    releaseUsernames(page, existing);
    List<String> unchanged = new ArrayList<>();
    for (KeycloakUser member : page) {
      counts.seen++;
      String username = normalized(member.username());
      DirectoryUser user = existing.get(member.id());
      if (user == null) {
        user = new DirectoryUser(member.id(), username, at);
        user.foundInDirectory(username, member.displayName(), member.email(), at);
        user.changeStatus(member.enabled() ? UserStatus.ACTIVE : UserStatus.DISABLED, at);
        user.matchedToEntry(entryIds.get(member.id()));
        em.persist(user);
        existing.put(member.id(), user); // a member listed twice in one page is created once
        counts.created++;
        continue;
      }
      boolean enable = member.enabled() && user.status() != UserStatus.ACTIVE;
      String entry = entryIds.get(member.id());
      boolean newEntry = entry != null && !entry.equals(user.ldapUuid());
      if (newEntry) {
        user.matchedToEntry(entry);
      }
      if (user.differsFrom(username, member.displayName(), member.email())) {
        user.foundInDirectory(username, member.displayName(), member.email(), at);
        counts.updated++;
      } else if (enable || newEntry) {
        user.foundInDirectory(username, member.displayName(), member.email(), at);
      } else {
        unchanged.add(user.userId());
      }
      if (enable) {
        user.changeStatus(UserStatus.ACTIVE, at);
        statusChanged.fire(new UserStatusChanged(user.userId(), UserStatus.ACTIVE));
        counts.enabled++;
      } else if (!member.enabled() && user.status() == UserStatus.ACTIVE) {
        toDisable.add(user.userId());
      }
    }
    if (!unchanged.isEmpty()) {
      em.createNamedQuery(DirectoryUser.MARK_IN_DIRECTORY)
          .setParameter("at", at)
          .setParameter("ids", unchanged)
          .executeUpdate();
    }
    return new MembersApplied(counts, toDisable);
  }

  private static String normalized(String username) {
    return username.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * The directory (Keycloak) is the authority on login names: a name the page gives to an id is
   * taken from any other user who still holds it, as {@link Directory#remember} does at enrollment.
   * Holders that are themselves in the page keep their row (they are being renamed).
   */
  private void releaseUsernames(List<KeycloakUser> page, Map<String, DirectoryUser> existing) {
    Map<String, String> claims = new HashMap<>(); // username -> id claiming it
    for (KeycloakUser member : page) {
      DirectoryUser user = existing.get(member.id());
      String username = normalized(member.username());
      if (user == null || !username.equals(user.username())) {
        claims.put(username, member.id());
      }
    }
    if (claims.isEmpty()) {
      return;
    }
    boolean removed = false;
    for (DirectoryUser holder :
        em.createNamedQuery(DirectoryUser.BY_USERNAMES, DirectoryUser.class)
            .setParameter("usernames", List.copyOf(claims.keySet()))
            .setLockMode(LockModeType.PESSIMISTIC_WRITE)
            .getResultList()) {
      String claimant = claims.get(holder.username());
      if (claimant != null
          && !claimant.equals(holder.userId())
          && !existing.containsKey(holder.userId())) {
        em.remove(holder);
        removed = true;
      }
    }
    if (removed) {
      em.flush(); // the deletes before the inserts that reuse the names
    }
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

  /** Of the users named, those Redoubt knows, by id. */
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public Map<String, DirectoryUser> byIds(Collection<String> ids) {
    return known(DirectoryUser.BY_IDS, "ids", ids, DirectoryUser::userId);
  }

  /** Of the usernames given (lower case), those Redoubt knows, by username. */
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public Map<String, DirectoryUser> byUsernames(Collection<String> usernames) {
    return known(DirectoryUser.BY_USERNAMES, "usernames", usernames, DirectoryUser::username);
  }

  private Map<String, DirectoryUser> known(
      String query,
      String parameter,
      Collection<String> keys,
      Function<DirectoryUser, String> key) {
    Map<String, DirectoryUser> found = new HashMap<>();
    List<String> all = List.copyOf(keys);
    // Bounded IN lists: one statement per KNOWN_CHUNK keys, whatever the directory's size.
    for (List<String> chunk : Chunks.of(all, KNOWN_CHUNK)) {
      for (DirectoryUser user :
          em.createNamedQuery(query, DirectoryUser.class)
              .setParameter(parameter, chunk)
              .getResultList()) {
        found.put(key.apply(user), user);
      }
    }
    return found;
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
    return changeStatus(userId, to, runId, null);
  }

  private boolean changeStatus(String userId, UserStatus to, Long runId, String confirmedBy) {
    DirectoryUser user = em.find(DirectoryUser.class, userId, LockModeType.PESSIMISTIC_WRITE);
    if (user == null || user.status() == to) {
      return false;
    }
    user.changeStatus(to, clock.instant());
    if (to != UserStatus.ACTIVE) {
      offboarded.fire(
          new UserOffboarded(userId, user.username(), to, runId, decidedBy(runId, confirmedBy)));
    }
    statusChanged.fire(new UserStatusChanged(userId, to));
    return true;
  }

  /**
   * Who decided a change, for the audit trail: the run and what started it (the timer, the
   * membership check, an administrator, a push from Keycloak), and the administrator who confirmed
   * it if it was held.
   */
  private String decidedBy(Long runId, String confirmedBy) {
    if (runId == null) {
      return "directory";
    }
    SyncRun run = em.find(SyncRun.class, runId);
    String described = "run " + runId + " (" + (run == null ? "?" : run.triggeredBy()) + ")";
    return confirmedBy == null ? described : "admin:" + confirmedBy + " confirming " + described;
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
      if (changeStatus(change.userId(), change.newStatus(), runId, admin)) {
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
}
