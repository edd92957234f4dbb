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
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
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
 * have left an access group is asked about once more, by id, and the groups are read a second time
 * before anyone loses access, so that LDAP going away mid-run fails the run instead.
 *
 * <p>Then the security groups the settings file declares are mirrored from their Keycloak groups.
 * The run's phase and counts are written as it goes, for the operator.
 *
 * <p>Two faster paths use the same rules: a membership check (default every 30 s) that compares the
 * access groups with the active users and starts an ordinary run when they differ, and {@link
 * #recheck} for one user after a push from Keycloak, which applies a run's rules and safety to that
 * user. A run and a re-check never overlap on a node.
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

  /** How long a re-check waits for a run under way before it asks its caller to retry. */
  static final Duration RECHECK_WAIT = Duration.ofSeconds(5);

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
  @EJB SecurityGroups securityGroups;
  @Inject ReconcileSettings settings;

  /**
   * Held by a run and by a single-user re-check: they never overlap on this node, so that a run
   * applying a page read before a re-check cannot undo what the re-check decided.
   */
  private final ReentrantLock directory = new ReentrantLock();

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
                + ", groups from "
                + settings.groupsSource());
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
    if (!directory.tryLock()) {
      throw new SyncAlreadyRunningException("a directory reconciliation is already running");
    }
    try {
      long runId = writer.startRun(full, triggeredBy);
      SyncCounts counts = new SyncCounts();
      try {
        Result result = reconcile(runId, full, counts);
        writer.finishRun(
            runId,
            result.held() ? SyncRun.Outcome.HELD : SyncRun.Outcome.SUCCEEDED,
            counts,
            result.detail());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        writer.finishRun(runId, SyncRun.Outcome.FAILED, counts, "interrupted");
      } catch (Exception e) {
        LOG.log(Level.WARNING, "directory reconciliation " + runId + " failed; nobody disabled", e);
        writer.finishRun(runId, SyncRun.Outcome.FAILED, counts, String.valueOf(e.getMessage()));
      }
      return writer.run(runId).orElseThrow();
    } finally {
      directory.unlock();
    }
  }

  /** How a run that read the directory completely ended. */
  private record Result(boolean held, String detail) {}

  /**
   * Writes the run's progress at most once a second, so that the operator sees a long run move
   * without a transaction per user.
   */
  private final class Progress {
    private final long runId;
    private final SyncCounts counts;
    private long lastWrite = System.nanoTime();

    Progress(long runId, SyncCounts counts) {
      this.runId = runId;
      this.counts = counts;
    }

    void now(String phase) {
      writer.progress(runId, phase, counts);
      lastWrite = System.nanoTime();
    }

    void maybe(String phase) {
      if (System.nanoTime() - lastWrite > 1_000_000_000L) {
        now(phase);
      }
    }
  }

  private Result reconcile(long runId, boolean full, SyncCounts counts) throws Exception {
    Progress progress = new Progress(runId, counts);
    DirectoryGroups groups = settings.groups();
    KeycloakDirectorySource source = source();
    Instant at = clock.instant();
    Set<String> members = new HashSet<>();
    Map<String, UserStatus> losing = new LinkedHashMap<>();
    for (String group : groups.accessGroups()) {
      String phase = "reading access group " + group;
      progress.now(phase);
      String groupId = source.groupId(group);
      source.members(
          groupId,
          page -> {
            List<KeycloakUser> fresh = page.stream().filter(u -> members.add(u.id())).toList();
            DirectoryWriter.MembersApplied applied = writer.applyMembers(fresh, at);
            counts.add(applied.counts());
            counts.examined += page.size();
            applied.toDisable().forEach(id -> losing.put(id, UserStatus.DISABLED));
            progress.maybe(phase);
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
    String checking = full ? "checking users outside the groups (full)" : "checking users";
    progress.now(checking);
    Map<String, UserStatus> housekeeping = new LinkedHashMap<>();
    List<String> outOfGroups = new ArrayList<>();
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
        counts.examined++;
        progress.maybe(checking);
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
    if (!outOfGroups.isEmpty() || !losing.isEmpty() || !housekeeping.isEmpty()) {
      confirmByReadingAgain(groups, source, members, outOfGroups, losing, progress);
    }

    progress.now("applying changes");
    for (Map.Entry<String, UserStatus> change : housekeeping.entrySet()) {
      if (writer.changeStatus(change.getKey(), change.getValue(), runId)) {
        counts.removed++;
      }
    }
    SafetyRule safety = settings.safety();
    String held = null;
    if (safety.mustHold(losing.size(), active)) {
      writer.hold(runId, losing);
      held =
          "would take access from "
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
    } else {
      for (Map.Entry<String, UserStatus> change : losing.entrySet()) {
        if (writer.changeStatus(change.getKey(), change.getValue(), runId)) {
          if (change.getValue() == UserStatus.REMOVED) {
            counts.removed++;
          } else {
            counts.disabled++;
          }
        }
      }
    }
    String groupProblems = mirrorSecurityGroups(groups, source, at, counts, progress);
    String detail =
        held == null ? groupProblems : groupProblems == null ? held : held + "; " + groupProblems;
    return new Result(held != null, detail);
  }

  /**
   * Reads the access groups once more, after the users outside them were looked up one by one.
   * Offset paging over a group that changes while it is read can skip a member, who must not lose
   * access for it: only users missing from both reads leave (Keycloak's per-user group list is not
   * asked: its user cache can be older than LDAP). And the second read must succeed and be
   * plausible: if LDAP went away after the first read, the per-user answers (missing, disabled) may
   * be Keycloak's view of an unreachable directory, and this read fails the run before anyone loses
   * access. A user the second read shows as an enabled member keeps access this run whatever the
   * per-user lookup said.
   */
  private void confirmByReadingAgain(
      DirectoryGroups groups,
      KeycloakDirectorySource source,
      Set<String> firstRead,
      List<String> outOfGroups,
      Map<String, UserStatus> losing,
      Progress progress)
      throws Exception {
    progress.now("reading access groups again");
    AccessGroupsRead read = readAccessGroups(groups, source);
    Set<String> again = read.all();
    Set<String> enabledAgain = read.enabled();
    if (again.isEmpty() && !firstRead.isEmpty()) {
      throw new IllegalStateException(
          "Keycloak returned no member of any access group on the second read, "
              + firstRead.size()
              + " on the first: treated as a failed read");
    }
    for (String userId : outOfGroups) {
      if (!again.contains(userId)) {
        losing.put(userId, UserStatus.DISABLED);
      }
    }
    losing.keySet().removeIf(enabledAgain::contains);
  }

  /**
   * Makes every security group the settings declare mirror its Keycloak group, each in its own
   * transaction after its group was read completely; drops groups no longer declared. A group that
   * cannot be read keeps its members as they were and is named in the returned text (the run still
   * succeeds: membership is not access, and a mistyped mapping must not stop offboarding).
   *
   * @return null, or which groups could not be mirrored and why
   */
  private String mirrorSecurityGroups(
      DirectoryGroups groups,
      KeycloakDirectorySource source,
      Instant at,
      SyncCounts counts,
      Progress progress)
      throws InterruptedException {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> mapping : new TreeMap<>(groups.securityGroups()).entrySet()) {
      progress.now("security group " + mapping.getKey());
      Set<String> ids = new HashSet<>();
      try {
        source.members(
            source.groupId(mapping.getValue()), page -> page.forEach(u -> ids.add(u.id())));
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        problems.add(
            "security group "
                + mapping.getKey()
                + " not updated ("
                + mapping.getValue()
                + "): "
                + e.getMessage());
        continue;
      }
      SecurityGroups.Mirrored mirrored =
          securityGroups.mirror(mapping.getKey(), mapping.getValue(), ids, at);
      counts.groupJoins += mirrored.joined();
      counts.groupLeaves += mirrored.left();
    }
    counts.groupLeaves += securityGroups.dropAllBut(groups.securityGroups().keySet());
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  /**
   * Re-reads one user from Keycloak (a push said they changed) and applies what Keycloak says with
   * the reconciliation's rules and its safety, for this one user: gone from Keycloak -> REMOVED;
   * disabled -> DISABLED; in no access group -> DISABLED; an enabled access-group member ->
   * recorded or updated as a run would.
   *
   * <p>As in a run: access is granted only on the access groups' own member lists (Keycloak's
   * per-user group list can come from its cache and is trusted only to keep an active user); before
   * access is taken away the access groups are read again, after the lookup, and that read must
   * succeed and be plausible, and the user must be missing from it or not enabled in it. Taking
   * access away counts against {@link RecentOffboardings}, the per-window form of the safety rule;
   * past it the change is held for an administrator. Each change is recorded as a run of its own
   * that re-read one user: it supersedes no held run (it did not read the directory completely),
   * and the next complete run supersedes it if it was held. Never overlaps a run on this node.
   *
   * @throws SyncAlreadyRunningException if a run kept the directory longer than {@link
   *     #RECHECK_WAIT}: nothing was changed, the caller may retry
   * @throws Exception when Keycloak cannot be read or its answer is implausible (no access-group
   *     member while users are active: recorded as a FAILED run): nothing is changed, the caller
   *     may retry
   */
  public Recheck recheck(String userId, String triggeredBy) throws Exception {
    if (!directory.tryLock(RECHECK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new SyncAlreadyRunningException("a directory reconciliation is running; try later");
    }
    try {
      return recheckLocked(userId, triggeredBy);
    } finally {
      directory.unlock();
    }
  }

  private Recheck recheckLocked(String userId, String triggeredBy) throws Exception {
    DirectoryGroups groups = settings.groups();
    KeycloakDirectorySource source = source();
    Instant at = clock.instant();
    Optional<UserStatus> known = writer.statusOf(userId);
    Optional<KeycloakUser> found = source.user(userId);
    boolean enabled = found.isPresent() && found.get().enabled();
    if (enabled && known.orElse(null) == UserStatus.ACTIVE) {
      if (source.groupsOf(userId).stream().anyMatch(groups.accessGroups()::contains)) {
        // Still a member: names and email follow; no access is granted or taken.
        return recordIfChanged(
            writer.applyMembers(List.of(found.get()), at).counts(), triggeredBy, Recheck.MEMBER);
      }
    }
    if (!enabled) {
      if (known.isEmpty()) {
        return Recheck.UNKNOWN;
      }
      if (known.get() == UserStatus.REMOVED
          || (known.get() == UserStatus.DISABLED && found.isPresent())) {
        return Recheck.UNCHANGED; // out already
      }
    }
    // Access is granted or taken on the access groups' member lists, read after the lookup.
    AccessGroupsRead read = readAccessGroups(groups, source);
    long active = writer.countActive();
    if (read.all().isEmpty() && active > 0) {
      SyncCounts none = new SyncCounts();
      none.seen = 1;
      long runId = writer.startRun(false, triggeredBy);
      String error =
          "Keycloak returned no member of any access group while "
              + active
              + " users are active: treated as a failed read";
      writer.finishPartialRun(runId, SyncRun.Outcome.FAILED, none, error);
      throw new IllegalStateException(error);
    }
    if (enabled && read.enabled().contains(userId)) {
      return recordIfChanged(
          writer.applyMembers(List.of(found.get()), at).counts(), triggeredBy, Recheck.MEMBER);
    }
    if (known.isEmpty()) {
      return Recheck.UNKNOWN; // enabled, but in no access group: nothing to record
    }
    if (found.isPresent()) {
      writer.touch(userId, found.get(), at);
    }
    UserStatus now = known.get();
    UserStatus target = found.isEmpty() ? UserStatus.REMOVED : UserStatus.DISABLED;
    if (read.enabled().contains(userId)
        || now == target
        || (now == UserStatus.REMOVED && target == UserStatus.DISABLED)) {
      // An enabled member on the second read keeps access, as in a run.
      return Recheck.UNCHANGED;
    }
    return takeAccess(userId, now, target, active, triggeredBy, at);
  }

  private Recheck takeAccess(
      String userId,
      UserStatus now,
      UserStatus target,
      long active,
      String triggeredBy,
      Instant at) {
    long runId = writer.startRun(false, triggeredBy);
    SyncCounts counts = new SyncCounts();
    counts.seen = 1;
    SafetyRule safety = settings.safety();
    long allowance = safety.allowance(active);
    if (now == UserStatus.ACTIVE && !pushed.tryTake(at, settings.interval(), allowance)) {
      writer.hold(runId, Map.of(userId, target));
      writer.finishPartialRun(
          runId,
          SyncRun.Outcome.HELD,
          counts,
          "pushes took access from "
              + allowance
              + " users within "
              + settings.interval()
              + " (max("
              + safety.minUsers()
              + ", "
              + Math.round(safety.fraction() * 100)
              + " %) of "
              + active
              + " active); held until an administrator confirms run "
              + runId);
      return Recheck.HELD;
    }
    if (writer.changeStatus(userId, target, runId)) {
      if (target == UserStatus.REMOVED) {
        counts.removed++;
      } else {
        counts.disabled++;
      }
    }
    writer.finishPartialRun(runId, SyncRun.Outcome.SUCCEEDED, counts, null);
    return target == UserStatus.REMOVED ? Recheck.REMOVED : Recheck.DISABLED;
  }

  private Recheck recordIfChanged(SyncCounts counts, String triggeredBy, Recheck outcome) {
    if (counts.created + counts.updated + counts.enabled == 0) {
      return Recheck.UNCHANGED;
    }
    long runId = writer.startRun(false, triggeredBy);
    writer.finishPartialRun(runId, SyncRun.Outcome.SUCCEEDED, counts, null);
    return outcome;
  }

  /**
   * The cheap, frequent check: compares the access groups' member ids (brief representations, no
   * writes) with the directory's active users and starts a reconciliation only when they differ, so
   * that the change goes through a run's safety (second read, hold, superseding). Removal from an
   * LDAP group raises no Keycloak event (the read-only group mapper reads membership from LDAP when
   * asked), so without this check such a removal would wait for the next timer run. An empty read
   * while users are active is left to the next run, which records it as failed. Cheap only for
   * small groups: Keycloak resolves every member of an LDAP-mapped group for each read, about 3 min
   * of its CPU at 10,000 members on the benchmark host (performance page), so at that size a check
   * takes minutes, not the period.
   */
  void checkMemberships() {
    if (directory.isLocked() || !checking.compareAndSet(false, true)) {
      return;
    }
    try {
      DirectoryGroups groups = settings.groups();
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
      AccessGroupsRead read = readAccessGroups(groups, source, true);
      if (read.all().isEmpty() && !active.isEmpty()) {
        LOG.warning("membership check: Keycloak returned no access-group member; nothing done");
        return;
      }
      if (read.enabled().equals(active)) {
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

  /** Every access group's members: all of them, and those Keycloak reports enabled. */
  private record AccessGroupsRead(Set<String> all, Set<String> enabled) {}

  private AccessGroupsRead readAccessGroups(DirectoryGroups groups, KeycloakDirectorySource source)
      throws Exception {
    return readAccessGroups(groups, source, false);
  }

  /**
   * @param forComparison read only up to each group's first short page (brief representations): for
   *     the membership check, which takes nobody's access and starts a complete run on any
   *     difference. A group smaller than a page then costs Keycloak one request instead of two (the
   *     empty page that proves the end resolves the whole group again: about 3 min at 10,000
   *     members on the benchmark host). A read shortened by members Keycloak dropped can only look
   *     like fewer members: active users missing start a run, and a newcomer hidden by it waits for
   *     the next timer run.
   */
  private AccessGroupsRead readAccessGroups(
      DirectoryGroups groups, KeycloakDirectorySource source, boolean forComparison)
      throws Exception {
    Set<String> all = new HashSet<>();
    Set<String> enabled = new HashSet<>();
    KeycloakDirectorySource.PageHandler collect =
        page ->
            page.forEach(
                u -> {
                  all.add(u.id());
                  if (u.enabled()) {
                    enabled.add(u.id());
                  }
                });
    for (String group : groups.accessGroups()) {
      String groupId = source.groupId(group);
      if (forComparison) {
        source.membersToFirstShortPage(groupId, collect);
      } else {
        source.members(groupId, collect);
      }
    }
    return new AccessGroupsRead(all, enabled);
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
    api.timeout(settings.requestTimeout());
    return new KeycloakDirectorySource(api, settings.pageSize(), settings.pagesInFlight());
  }
}
