package io.redoubt.directory;

import io.redoubt.ldapsync.KeycloakAdminApi;
import io.redoubt.ldapsync.KeycloakDirectorySource;
import io.redoubt.ldapsync.KeycloakUser;
import io.redoubt.ldapsync.SecretReference;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * Pulls Redoubt's people from Keycloak into the directory: on a timer (default every 5 min, a full
 * check at least every 15 min) and when an administrator asks. Reads everything first, decides,
 * then writes in small transactions ({@link DirectoryWriter}); Keycloak is never called inside a
 * database transaction.
 *
 * <p>Safety: nothing is disabled unless every access group was read without error and the result is
 * plausible (not empty while users are active); a run that would take access from more than max(10
 * users, 5 %) of the active users holds those changes for an administrator. A user who seems to
 * have left an access group is asked about once more, by id, before anything happens.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Reconciler {

  private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());
  private static final int DIRECTORY_PAGE = 500;
  private static final String RECONCILIATION = "directory reconciliation";
  private static final String MEMBERSHIP_CHECK = "directory membership check";

  /** What a single-user re-check did. */
  public enum Recheck {
    /** Keycloak and Redoubt agree; nothing written. */
    UNCHANGED,
    /** Recorded or updated as a member (onboarded, re-enabled, name or email changed). */
    MEMBER,
    DISABLED,
    REMOVED,
    /** Would have taken access away, but too many pushes did so lately: held for an admin. */
    HELD,
    /** Keycloak does not know the user and neither does Redoubt. */
    UNKNOWN
  }

  @Resource TimerService timers;
  @EJB DirectoryWriter writer;
  @Inject ReconcileSettings settings;

  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean checking = new AtomicBoolean();
  private final RecentOffboardings pushed = new RecentOffboardings();
  private final Clock clock = Clock.systemUTC();

  @PostConstruct
  void schedule() {
    if (!settings.enabled()) {
      LOG.info("directory reconciliation is off (redoubt.directory.reconcile.enabled=false)");
      return;
    }
    long every = settings.interval().toMillis();
    timers.createIntervalTimer(every, every, new TimerConfig(RECONCILIATION, false));
    if (!settings.membershipCheckInterval().isZero()) {
      long check = settings.membershipCheckInterval().toMillis();
      timers.createIntervalTimer(check, check, new TimerConfig(MEMBERSHIP_CHECK, false));
    }
    LOG.info(
        () ->
            "directory reconciliation every "
                + settings.interval()
                + ", full check every "
                + settings.fullInterval()
                + ", membership check every "
                + settings.membershipCheckInterval()
                + ", access groups "
                + settings.accessGroups());
  }

  @Timeout
  void tick(Timer timer) {
    if (MEMBERSHIP_CHECK.equals(timer.getInfo())) {
      checkMemberships();
      return;
    }
    Instant lastFull = writer.lastFullCheck().orElse(Instant.EPOCH);
    // A little slack so that a full check due "now" is not put off by a tick's jitter.
    boolean full =
        Duration.between(lastFull, clock.instant())
                .compareTo(settings.fullInterval().minus(settings.interval().dividedBy(2)))
            >= 0;
    try {
      run(full, "timer");
    } catch (SyncAlreadyRunningException e) {
      LOG.fine("a reconciliation is still running; this tick is skipped");
    }
  }

  /**
   * Runs a reconciliation now and returns its record.
   *
   * @throws SyncAlreadyRunningException if one is running on this node
   */
  public SyncRun run(boolean full, String triggeredBy) throws SyncAlreadyRunningException {
    if (!running.compareAndSet(false, true)) {
      throw new SyncAlreadyRunningException("a directory reconciliation is already running");
    }
    try {
      long runId = writer.startRun(full, triggeredBy);
      SyncCounts counts = new SyncCounts();
      try {
        String detail = reconcile(runId, full, counts);
        writer.finishRun(
            runId,
            detail == null ? SyncRun.Outcome.SUCCEEDED : SyncRun.Outcome.HELD,
            counts,
            detail);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        writer.finishRun(runId, SyncRun.Outcome.FAILED, counts, "interrupted");
      } catch (Exception e) {
        LOG.log(Level.WARNING, "directory reconciliation " + runId + " failed; nobody disabled", e);
        writer.finishRun(runId, SyncRun.Outcome.FAILED, counts, String.valueOf(e.getMessage()));
      }
      return writer.run(runId).orElseThrow();
    } finally {
      running.set(false);
    }
  }

  /** Returns null when done, or why the run's changes are held. */
  private String reconcile(long runId, boolean full, SyncCounts counts) throws Exception {
    KeycloakDirectorySource source = source();
    Instant at = clock.instant();
    Set<String> members = new HashSet<>();
    Map<String, UserStatus> losing = new LinkedHashMap<>();
    List<String> groups = settings.accessGroups();
    for (String group : groups) {
      String groupId = source.groupId(group);
      source.members(
          groupId,
          page -> {
            List<KeycloakUser> fresh = page.stream().filter(u -> members.add(u.id())).toList();
            DirectoryWriter.MembersApplied applied = writer.applyMembers(fresh, at);
            counts.add(applied.counts());
            applied.toDisable().forEach(id -> losing.put(id, UserStatus.DISABLED));
          });
    }
    long active = writer.countActive();
    if (members.isEmpty() && active > 0) {
      throw new IllegalStateException(
          "Keycloak returned no member of any access group while "
              + active
              + " users are active: treated as a failed read");
    }

    // Users Redoubt knows who were not among the members: gone from the directory, disabled, or
    // out of every access group. A full check also looks at DISABLED users (are they REMOVED?).
    Map<String, UserStatus> housekeeping = new LinkedHashMap<>();
    List<String> outOfGroups = new java.util.ArrayList<>();
    Set<UserStatus> check =
        full ? EnumSet.of(UserStatus.ACTIVE, UserStatus.DISABLED) : EnumSet.of(UserStatus.ACTIVE);
    String after = "";
    for (List<DirectoryUser> batch = writer.withStatus(check, after, DIRECTORY_PAGE);
        !batch.isEmpty();
        batch = writer.withStatus(check, after, DIRECTORY_PAGE)) {
      for (DirectoryUser user : batch) {
        after = user.userId();
        if (members.contains(user.userId())) {
          continue;
        }
        var found = source.user(user.userId());
        if (found.isEmpty()) {
          (user.status() == UserStatus.ACTIVE ? losing : housekeeping)
              .put(user.userId(), UserStatus.REMOVED);
          continue;
        }
        writer.touch(user.userId(), found.get(), at);
        if (user.status() == UserStatus.ACTIVE) {
          if (found.get().enabled()) {
            outOfGroups.add(user.userId());
          } else {
            losing.put(user.userId(), UserStatus.DISABLED);
          }
        }
      }
    }
    if (!outOfGroups.isEmpty()) {
      // Read the groups once more: offset paging over a group that changes while it is read can
      // skip a member, who must not lose access for it. Only users missing from both reads leave.
      // (Keycloak's per-user group list is not asked: its user cache can be older than LDAP.)
      Set<String> again = new HashSet<>();
      for (String group : groups) {
        source.members(source.groupId(group), page -> page.forEach(u -> again.add(u.id())));
      }
      for (String userId : outOfGroups) {
        if (!again.contains(userId)) {
          losing.put(userId, UserStatus.DISABLED);
        }
      }
    }

    for (Map.Entry<String, UserStatus> change : housekeeping.entrySet()) {
      if (writer.changeStatus(change.getKey(), change.getValue(), runId)) {
        counts.removed++;
      }
    }
    SafetyRule safety = settings.safety();
    if (safety.mustHold(losing.size(), active)) {
      writer.hold(runId, losing);
      return "would take access from "
          + losing.size()
          + " of "
          + active
          + " active users (more than "
          + safety.allowance(active)
          + " = max("
          + safety.minUsers()
          + ", "
          + Math.round(safety.fraction() * 100)
          + " %)); held until an administrator confirms run "
          + runId;
    }
    for (Map.Entry<String, UserStatus> change : losing.entrySet()) {
      if (writer.changeStatus(change.getKey(), change.getValue(), runId)) {
        if (change.getValue() == UserStatus.REMOVED) {
          counts.removed++;
        } else {
          counts.disabled++;
        }
      }
    }
    return null;
  }

  /**
   * Re-reads one user from Keycloak (a push told us they changed) and applies what Keycloak says
   * with the reconciliation's own rules: gone from Keycloak -> REMOVED; disabled -> DISABLED; in no
   * access group -> DISABLED, but only after the access groups' member lists confirm it (the
   * per-user group list can come from Keycloak's cache); a member -> recorded or updated as the
   * reconciliation would. Taking access away counts against {@link RecentOffboardings}, the
   * per-window form of the safety rule; each change is recorded as a run of its own.
   *
   * @throws Exception when Keycloak cannot be read: nothing is changed, the caller may retry
   */
  public Recheck recheck(String userId, String triggeredBy) throws Exception {
    KeycloakDirectorySource source = source();
    Instant at = clock.instant();
    var known = writer.statusOf(userId);
    var found = source.user(userId);
    UserStatus target;
    if (found.isEmpty()) {
      if (known.isEmpty()) {
        return Recheck.UNKNOWN;
      }
      target = UserStatus.REMOVED;
    } else if (!found.get().enabled()) {
      if (known.isEmpty()) {
        return Recheck.UNKNOWN;
      }
      target = UserStatus.DISABLED;
    } else if (inAccessGroup(source, userId)) {
      SyncCounts counts = writer.applyMembers(List.of(found.get()), at).counts();
      if (counts.created + counts.updated + counts.enabled == 0) {
        return Recheck.UNCHANGED;
      }
      long runId = writer.startRun(false, triggeredBy);
      writer.finishRun(runId, SyncRun.Outcome.SUCCEEDED, counts, null);
      return Recheck.MEMBER;
    } else {
      if (known.isEmpty()) {
        return Recheck.UNKNOWN;
      }
      writer.touch(userId, found.get(), at);
      target = UserStatus.DISABLED;
    }
    UserStatus now = known.get();
    if (now == target || (now == UserStatus.REMOVED && target == UserStatus.DISABLED)) {
      return Recheck.UNCHANGED;
    }
    long runId = writer.startRun(false, triggeredBy);
    SyncCounts counts = new SyncCounts();
    counts.seen = 1;
    if (now == UserStatus.ACTIVE) {
      long active = writer.countActive();
      long allowance = settings.safety().allowance(active);
      if (!pushed.tryTake(at, settings.interval(), allowance)) {
        writer.hold(runId, java.util.Map.of(userId, target));
        writer.finishRun(
            runId,
            SyncRun.Outcome.HELD,
            counts,
            "pushes took access from "
                + allowance
                + " users within "
                + settings.interval()
                + " (max("
                + settings.safety().minUsers()
                + ", "
                + Math.round(settings.safety().fraction() * 100)
                + " %) of "
                + active
                + " active); held until an administrator confirms run "
                + runId);
        return Recheck.HELD;
      }
    }
    writer.changeStatus(userId, target, runId);
    if (target == UserStatus.REMOVED) {
      counts.removed++;
    } else {
      counts.disabled++;
    }
    writer.finishRun(runId, SyncRun.Outcome.SUCCEEDED, counts, null);
    return target == UserStatus.REMOVED ? Recheck.REMOVED : Recheck.DISABLED;
  }

  /**
   * The cheap, frequent check: compares the access groups' member ids (brief representations, no
   * writes) with the directory's active users and starts a reconciliation only when they differ.
   * Removal from an LDAP group raises no Keycloak event (the read-only group mapper reads
   * membership from LDAP when asked), so without this check such a removal would wait for the next
   * run.
   */
  void checkMemberships() {
    if (running.get() || !checking.compareAndSet(false, true)) {
      return;
    }
    try {
      KeycloakDirectorySource source = source();
      Set<String> active = new HashSet<>();
      String after = "";
      for (List<DirectoryUser> batch =
              writer.withStatus(EnumSet.of(UserStatus.ACTIVE), after, DIRECTORY_PAGE);
          !batch.isEmpty();
          batch = writer.withStatus(EnumSet.of(UserStatus.ACTIVE), after, DIRECTORY_PAGE)) {
        for (DirectoryUser user : batch) {
          active.add(user.userId());
          after = user.userId();
        }
      }
      Set<String> members = new HashSet<>();
      boolean[] differs = {false};
      for (String group : settings.accessGroups()) {
        source.members(
            source.groupId(group),
            true,
            page -> {
              for (KeycloakUser user : page) {
                if (members.add(user.id()) && user.enabled() != active.contains(user.id())) {
                  differs[0] = true;
                }
              }
            });
      }
      if (members.isEmpty() && !active.isEmpty()) {
        LOG.warning("membership check: Keycloak returned no access-group member; nothing done");
        return;
      }
      if (!differs[0] && members.containsAll(active)) {
        return;
      }
      run(false, "membership-check");
    } catch (SyncAlreadyRunningException e) {
      LOG.fine("a reconciliation started meanwhile; it does the work");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "directory membership check failed; nobody disabled", e);
    } finally {
      checking.set(false);
    }
  }

  /**
   * Whether the user is in an access group. Keycloak's per-user group list is trusted to say yes; a
   * no is confirmed against the access groups' own member lists, as the reconciliation does.
   */
  private boolean inAccessGroup(KeycloakDirectorySource source, String userId) throws Exception {
    List<String> groups = settings.accessGroups();
    if (source.groupsOf(userId).stream().anyMatch(groups::contains)) {
      return true;
    }
    boolean[] seen = {false};
    for (String group : groups) {
      source.members(
          source.groupId(group),
          true,
          page -> seen[0] |= page.stream().anyMatch(u -> u.id().equals(userId)));
      if (seen[0]) {
        return true;
      }
    }
    return false;
  }

  private KeycloakDirectorySource source() throws Exception {
    String secret =
        SecretReference.parse(settings.clientSecretReference()).resolve(System.getenv());
    // The JVM's trust store: in the server that is the installation's (BCFKS) trust store.
    KeycloakAdminApi api =
        KeycloakAdminApi.withClientCredentials(
            URI.create(settings.keycloakUrl()),
            settings.realm(),
            SSLContext.getDefault(),
            settings.clientId(),
            secret);
    return new KeycloakDirectorySource(api, settings.pageSize());
  }
}
