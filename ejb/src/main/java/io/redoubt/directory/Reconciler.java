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
import java.util.Set;
import java.util.TreeMap;
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
 * have left an access group is asked about once more, by id, and the groups are read a second time
 * before anyone loses access, so that LDAP going away mid-run fails the run instead.
 *
 * <p>Then the security groups the settings file declares are mirrored from their Keycloak groups.
 * The run's phase and counts are written as it goes, for the operator.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Reconciler {

  private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());
  private static final int DIRECTORY_PAGE = 500;

  @Resource TimerService timers;
  @EJB DirectoryWriter writer;
  @EJB SecurityGroups securityGroups;
  @Inject ReconcileSettings settings;

  private final AtomicBoolean running = new AtomicBoolean();
  private final Clock clock = Clock.systemUTC();

  @PostConstruct
  void schedule() {
    if (!settings.enabled()) {
      LOG.info("directory reconciliation is off (redoubt.directory.reconcile.enabled=false)");
      return;
    }
    long every = settings.interval().toMillis();
    timers.createIntervalTimer(every, every, new TimerConfig("directory reconciliation", false));
    LOG.info(
        () ->
            "directory reconciliation every "
                + settings.interval()
                + ", full check every "
                + settings.fullInterval()
                + ", groups from "
                + settings.groupsSource());
  }

  @Timeout
  void tick() {
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
      running.set(false);
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
    Set<String> enabledAgain = new HashSet<>();
    Set<String> again = new HashSet<>();
    for (String group : groups.accessGroups()) {
      source.members(
          source.groupId(group),
          page ->
              page.forEach(
                  u -> {
                    again.add(u.id());
                    if (u.enabled()) {
                      enabledAgain.add(u.id());
                    }
                  }));
    }
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
