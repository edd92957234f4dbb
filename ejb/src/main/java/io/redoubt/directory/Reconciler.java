package io.redoubt.directory;

import io.redoubt.ldapsync.DirectorySettings;
import io.redoubt.ldapsync.KeycloakAccount;
import io.redoubt.ldapsync.KeycloakAdminApi;
import io.redoubt.ldapsync.KeycloakDirectorySource;
import io.redoubt.ldapsync.KeycloakUser;
import io.redoubt.ldapsync.LdapDirectory;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * Pulls Redoubt's people into the directory: on a timer (default every 5 min, a full check at least
 * every 15 min) and when an administrator asks. The directory is read first-hand ({@link
 * LdapDirectory}, with the directory settings file's connection): who is in the access groups, with
 * their names and email. Keycloak is asked only what it alone knows: which users it has disabled
 * (one cheap query), the Keycloak id of members Redoubt does not know yet, and, one by one, about
 * known users who are no longer members. Reads everything first, decides, then writes in small
 * transactions ({@link DirectoryWriter}); neither LDAP nor Keycloak is called inside a database
 * transaction.
 *
 * <p>Why not through Keycloak: each per-user answer costs Keycloak a check of the user against LDAP
 * (10-90 ms of its CPU at 10,000-20,000 people on the benchmark host), and its group endpoint
 * resolves every member up to the page's end; the directory answers in milliseconds (ADR 0007,
 * performance page).
 *
 * <p>Safety: nothing is disabled unless every access group was read without error and the result is
 * plausible (not empty while users are active); a run that would take access from more than max(10
 * users, 5 %) of the active users holds those changes for an administrator. A known user who is no
 * member is asked about by id, and the groups are read a second time before anyone loses access, so
 * that LDAP going away mid-run fails the run instead.
 *
 * <p>Then the security groups the settings file declares are mirrored from their LDAP groups. The
 * run's phase and counts are written as it goes, for the operator.
 *
 * <p>Two faster paths use the same rules: a membership check (default every 30 s) that compares the
 * access groups' members in LDAP with the active users and starts an ordinary run when they differ,
 * and {@link #recheck} for one user after a push from Keycloak, which applies a run's rules and
 * safety to that user. A run and a re-check never overlap on a node.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Reconciler {

  private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());
  private static final int DIRECTORY_PAGE = 500;

  /**
   * Newcomers looked up in Keycloak one by one in a run: those its accounts endpoint did not know
   * (not imported yet; a lookup makes Keycloak import them), or all of them when the endpoint is
   * missing or failed.
   */
  static final int LOOKUPS_PER_RUN = 100;

  /** Lookups that fail one after the other before a run stops looking (Keycloak is down). */
  private static final int FAILED_LOOKUPS_TO_STOP = 5;

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

  private JoinerRetries joiners;
  private final RecentOffboardings pushed = new RecentOffboardings();
  private final Clock clock = Clock.systemUTC();

  @PostConstruct
  void schedule() {
    joiners =
        new JoinerRetries(settings.membershipCheckInterval().multipliedBy(2), settings.interval());
    if (!settings.enabled()) {
      LOG.info("directory reconciliation is off (redoubt.directory.reconcile.enabled=false)");
      return;
    }
    // Single-node today: a run left RUNNING was this server's, stopped with it. (A cluster, a later
    // issue, must scope this to the node that started the run.)
    int abandoned = writer.failAbandonedRuns();
    if (abandoned > 0) {
      LOG.warning(() -> abandoned + " directory run(s) left RUNNING by a stop recorded as FAILED");
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
    DirectorySettings directory = settings.directory();
    DirectoryGroups groups = ReconcileSettings.groups(directory);
    LdapDirectory ldap = settings.ldap(directory);
    KeycloakDirectorySource keycloak = keycloak();
    Instant at = clock.instant();

    progress.now("reading who is disabled in Keycloak");
    Set<String> disabledInKeycloak = keycloak.disabledUserIds();

    // The members, 200 at a time, with their names and email from the directory. Those Redoubt
    // knows are updated without a Keycloak call; the others' Keycloak ids are asked for in one
    // request per chunk.
    String reading = "reading the access groups from LDAP";
    progress.now(reading);
    Map<String, UserStatus> losing = new LinkedHashMap<>();
    NewMembers newcomers = new NewMembers(keycloak, directory.federationName());
    Set<String> reassigned = new HashSet<>(); // users whose username a different entry has now
    // The groups security groups follow are read in the same pass over the people.
    LdapDirectory.Members read =
        ldap.members(
            groups.accessGroups(),
            groups.securityGroups().values(),
            chunk -> {
              Map<String, DirectoryUser> known =
                  writer.byUsernames(chunk.stream().map(LdapDirectory.Person::username).toList());
              List<KeycloakUser> matched = new ArrayList<>();
              Map<String, String> entries = new HashMap<>();
              List<LdapDirectory.Person> unknown = new ArrayList<>();
              for (LdapDirectory.Person person : chunk) {
                DirectoryUser mine = known.get(person.username());
                if (mine != null && sameEntry(mine, person)) {
                  matched.add(
                      new KeycloakUser(
                          mine.userId(),
                          person.username(),
                          person.firstName(),
                          person.lastName(),
                          person.email(),
                          !disabledInKeycloak.contains(mine.userId()),
                          directory.federationName()));
                  if (person.uuid() != null) {
                    entries.put(mine.userId(), person.uuid());
                  }
                } else {
                  if (mine != null && mine.status() != UserStatus.REMOVED) {
                    reassigned.add(mine.userId());
                  }
                  unknown.add(person);
                }
              }
              newcomers.resolve(unknown, matched, entries);
              applyMembers(matched, entries, at, counts, losing);
              progress.maybe(reading);
            });
    Set<String> members = read.members();
    long active = writer.countActive();
    if (members.isEmpty() && active > 0) {
      throw new IllegalStateException(
          "the access groups in LDAP have no member while "
              + active
              + " users are active: treated as a failed read");
    }
    String waiting = findNewMembers(newcomers, members, keycloak, at, counts, losing, progress);

    // Known users who are no member (a full check: DISABLED ones too, are they REMOVED?), and those
    // whose username another entry has now: asked about one by one.
    String checking = "checking users outside the access groups";
    progress.now(checking);
    Set<UserStatus> check =
        full ? EnumSet.of(UserStatus.ACTIVE, UserStatus.DISABLED) : EnumSet.of(UserStatus.ACTIVE);
    Map<String, String> outOfGroups = new LinkedHashMap<>(); // id -> username
    Map<String, UserStatus> housekeeping = new LinkedHashMap<>();
    String after = "";
    for (List<DirectoryUser> batch = writer.withStatus(check, after, DIRECTORY_PAGE);
        !batch.isEmpty();
        batch = writer.withStatus(check, after, DIRECTORY_PAGE)) {
      for (DirectoryUser user : batch) {
        after = user.userId();
        boolean elsewhere = reassigned.contains(user.userId());
        if (members.contains(user.username()) && !elsewhere) {
          continue;
        }
        counts.examined++;
        progress.maybe(checking);
        Optional<KeycloakUser> found = keycloak.user(user.userId());
        if (found.isEmpty()) {
          (user.status() == UserStatus.ACTIVE ? losing : housekeeping)
              .put(user.userId(), UserStatus.REMOVED);
          continue;
        }
        writer.touch(user.userId(), found.get(), at);
        if (user.status() == UserStatus.ACTIVE) {
          if (found.get().enabled() && !elsewhere) {
            outOfGroups.put(user.userId(), user.username());
          } else {
            losing.put(user.userId(), UserStatus.DISABLED);
          }
        }
      }
    }
    if (!outOfGroups.isEmpty() || !losing.isEmpty() || !housekeeping.isEmpty()) {
      confirmByReadingAgain(groups, ldap, members, outOfGroups, losing, progress);
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
    String groupProblems = mirrorSecurityGroups(groups, read, at, counts, progress);
    String detail =
        Stream.of(held, waiting, groupProblems)
            .filter(Objects::nonNull)
            .reduce((a, b) -> a + "; " + b)
            .orElse(null);
    return new Result(held != null, detail);
  }

  /**
   * Whether a user Redoubt knows by this username is the directory entry that has it now: the same
   * entry id, or no id recorded on either side yet. A REMOVED user never is: Keycloak gave the
   * person a new id when it imported them again.
   */
  private static boolean sameEntry(DirectoryUser mine, LdapDirectory.Person person) {
    return mine.status() != UserStatus.REMOVED
        && (mine.ldapUuid() == null
            || person.uuid() == null
            || mine.ldapUuid().equals(person.uuid()));
  }

  /**
   * The members of one run whom Redoubt does not know yet, and how their Keycloak ids are found: a
   * chunk at a time through Redoubt's accounts endpoint in Keycloak (one request, Keycloak's own
   * tables). A member it has no account for is not imported yet and waits for {@link
   * #findNewMembers}. If the endpoint is missing (Keycloak without Redoubt's provider jar) or
   * fails, the run stops asking it and every remaining newcomer waits for the lookups: finding
   * newcomers never fails a run, nor takes anyone's access.
   */
  private static final class NewMembers {
    private final KeycloakDirectorySource keycloak;
    private final String federationName;

    /** Members' usernames with no Keycloak id here yet. */
    final Set<String> unresolved = new HashSet<>();

    /** Why the endpoint is no longer asked in this run, or null while it answers. */
    String endpointProblem;

    NewMembers(KeycloakDirectorySource keycloak, String federationName) {
      this.keycloak = keycloak;
      this.federationName = federationName;
    }

    /**
     * Adds to {@code matched} (and their entry ids to {@code entries}) the people Keycloak has
     * imported as these entries; remembers the others as unresolved.
     */
    void resolve(
        List<LdapDirectory.Person> people, List<KeycloakUser> matched, Map<String, String> entries)
        throws InterruptedException {
      if (people.isEmpty()) {
        return;
      }
      Map<String, KeycloakAccount> accounts = new HashMap<>();
      if (endpointProblem == null) {
        try {
          Optional<List<KeycloakAccount>> answer =
              keycloak.accountsByUsername(
                  people.stream().map(LdapDirectory.Person::username).toList());
          if (answer.isEmpty()) {
            endpointProblem =
                "Keycloak has no redoubt-directory endpoint (is Redoubt's provider jar in its"
                    + " providers/?); newcomers are looked up "
                    + LOOKUPS_PER_RUN
                    + " a run";
            LOG.warning(endpointProblem);
          } else {
            answer.get().forEach(a -> accounts.put(a.username().toLowerCase(Locale.ROOT), a));
          }
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) {
          endpointProblem = "Keycloak's redoubt-directory endpoint failed (" + e.getMessage() + ")";
          LOG.log(Level.WARNING, endpointProblem, e);
        }
      }
      for (LdapDirectory.Person person : people) {
        KeycloakAccount account = accounts.get(person.username());
        // An account Keycloak keeps itself, or one it imported from another entry that had the
        // username before (its sync has not caught up), is not this person.
        if (account == null || !account.federated() || !account.isEntry(person.uuid())) {
          unresolved.add(person.username());
          continue;
        }
        matched.add(
            new KeycloakUser(
                account.id(),
                person.username(),
                person.firstName(),
                person.lastName(),
                person.email(),
                account.enabled(),
                federationName));
        if (person.uuid() != null) {
          entries.put(account.id(), person.uuid());
        }
      }
    }
  }

  /**
   * Looks up, one by one, up to {@value #LOOKUPS_PER_RUN} members whose Keycloak id the accounts
   * endpoint did not give. A lookup by username costs Keycloak as much as a login (it checks the
   * entry in LDAP and imports it if it has not yet; about 90 ms of its CPU each at 20,000 people on
   * the benchmark host), so the rest wait for Keycloak's changed-users sync and a later run. A
   * failed lookup fails only this step: it takes nobody's access.
   *
   * @return null, or what went wrong and how many members are still waiting for Keycloak
   */
  private String findNewMembers(
      NewMembers newcomers,
      Set<String> members,
      KeycloakDirectorySource keycloak,
      Instant at,
      SyncCounts counts,
      Map<String, UserStatus> losing,
      Progress progress)
      throws Exception {
    Set<String> unresolved = newcomers.unresolved;
    String problems = newcomers.endpointProblem;
    if (unresolved.isEmpty()) {
      return problems;
    }
    String finding = "looking up " + unresolved.size() + " new members in Keycloak";
    progress.now(finding);
    List<KeycloakUser> found = new ArrayList<>();
    int lookups = 0;
    int failedInARow = 0;
    String lookupFailed = null;
    for (var each = unresolved.iterator();
        each.hasNext() && lookups < LOOKUPS_PER_RUN && failedInARow < FAILED_LOOKUPS_TO_STOP; ) {
      String username = each.next();
      lookups++;
      Optional<KeycloakUser> user;
      try {
        user = keycloak.userByUsername(username);
        failedInARow = 0;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        // One person Keycloak cannot answer for (a failed import, say) must not stop the others
        // nor the run: they wait for a later run like members not imported yet.
        failedInARow++;
        if (lookupFailed == null) {
          lookupFailed = "looking up " + username + " in Keycloak failed (" + e.getMessage() + ")";
          LOG.log(Level.WARNING, lookupFailed, e);
        }
        continue;
      }
      if (user.isPresent() && isMember(user.get(), members)) {
        found.add(user.get());
        each.remove();
      }
      if (found.size() == LdapDirectory.CHUNK) {
        applyMembers(found, Map.of(), at, counts, losing);
        found.clear();
      }
      progress.maybe(finding);
    }
    applyMembers(found, Map.of(), at, counts, losing);
    if (lookupFailed != null) {
      problems = problems == null ? lookupFailed : problems + "; " + lookupFailed;
    }
    if (unresolved.isEmpty()) {
      return problems;
    }
    LOG.info(
        () ->
            unresolved.size()
                + " access-group members are not (yet) users in Keycloak; they wait for its"
                + " changed-users sync");
    String waiting =
        unresolved.size()
            + " access-group members not yet imported by Keycloak (they follow with its"
            + " changed-users sync and a later run)";
    return problems == null ? waiting : problems + "; " + waiting;
  }

  /**
   * Whether the Keycloak user is one of the access groups' members: an account federated from the
   * directory whose username a member has. An account Keycloak keeps itself never is.
   */
  private static boolean isMember(KeycloakUser user, Set<String> memberUsernames) {
    return user.federated() && memberUsernames.contains(user.username().toLowerCase(Locale.ROOT));
  }

  private void applyMembers(
      List<KeycloakUser> members,
      Map<String, String> entries,
      Instant at,
      SyncCounts counts,
      Map<String, UserStatus> losing) {
    if (members.isEmpty()) {
      return;
    }
    DirectoryWriter.MembersApplied applied = writer.applyMembers(members, entries, at);
    counts.add(applied.counts());
    counts.examined += members.size();
    applied.toDisable().forEach(id -> losing.put(id, UserStatus.DISABLED));
  }

  /**
   * Reads the access groups once more, after Keycloak was read. Only users missing from both reads
   * leave, and the second read must succeed and be plausible: if LDAP went away or was emptied
   * after the first read, this read fails the run before anyone loses access.
   */
  private void confirmByReadingAgain(
      DirectoryGroups groups,
      LdapDirectory ldap,
      Set<String> firstRead,
      Map<String, String> outOfGroups,
      Map<String, UserStatus> losing,
      Progress progress)
      throws Exception {
    progress.now("reading the access groups from LDAP again");
    Set<String> again = ldap.memberUsernames(groups.accessGroups());
    if (again.isEmpty() && !firstRead.isEmpty()) {
      throw new IllegalStateException(
          "the access groups in LDAP had no member on the second read, "
              + firstRead.size()
              + " on the first: treated as a failed read");
    }
    outOfGroups.forEach(
        (userId, username) -> {
          if (!again.contains(username)) {
            losing.put(userId, UserStatus.DISABLED);
          }
        });
  }

  /**
   * Makes every security group the settings declare mirror its LDAP group as the run's read found
   * it, each in its own transaction; drops groups no longer declared. A group that could not be
   * read keeps its members as they were and is named in the returned text (the run still succeeds:
   * membership is not access, and a mistyped mapping must not stop offboarding).
   *
   * @return null, or which groups could not be mirrored and why
   */
  private String mirrorSecurityGroups(
      DirectoryGroups groups,
      LdapDirectory.Members read,
      Instant at,
      SyncCounts counts,
      Progress progress) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> mapping : new TreeMap<>(groups.securityGroups()).entrySet()) {
      progress.now("security group " + mapping.getKey());
      Set<String> usernames = read.others().get(mapping.getValue());
      if (usernames == null) {
        problems.add(
            "security group "
                + mapping.getKey()
                + " not updated ("
                + mapping.getValue()
                + "): "
                + read.otherFailures().getOrDefault(mapping.getValue(), "not read"));
        continue;
      }
      Set<String> ids = new HashSet<>();
      writer.byUsernames(usernames).values().forEach(u -> ids.add(u.userId()));
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
    DirectorySettings directory = settings.directory();
    DirectoryGroups groups = ReconcileSettings.groups(directory);
    LdapDirectory ldap = settings.ldap(directory);
    Instant at = clock.instant();
    Optional<UserStatus> known = writer.statusOf(userId);
    Optional<KeycloakUser> found = keycloak().user(userId);
    boolean enabled = found.isPresent() && found.get().enabled();
    if (!enabled) {
      if (known.isEmpty()) {
        return Recheck.UNKNOWN;
      }
      if (known.get() == UserStatus.REMOVED
          || (known.get() == UserStatus.DISABLED && found.isPresent())) {
        return Recheck.UNCHANGED; // out already
      }
    }
    // Access is granted or taken on the access groups' members in LDAP, read after the lookup.
    long active = writer.countActive();
    if (active > 0 && !ldap.anyMember(groups.accessGroups())) {
      SyncCounts none = new SyncCounts();
      none.seen = 1;
      long runId = writer.startRun(false, triggeredBy);
      String error =
          "the access groups in LDAP have no member while "
              + active
              + " users are active: treated as a failed read";
      writer.finishPartialRun(runId, SyncRun.Outcome.FAILED, none, error);
      throw new IllegalStateException(error);
    }
    boolean member =
        enabled
            && found.get().federated()
            && ldap.isMember(found.get().username(), groups.accessGroups()).orElse(false);
    if (member) {
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
    if (now == target || (now == UserStatus.REMOVED && target == UserStatus.DISABLED)) {
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
   * The cheap, frequent check: compares the access groups' members in LDAP (no Keycloak call, no
   * writes) with the directory's active users and starts a reconciliation when an active user is no
   * longer a member, so that the change goes through a run's safety (second read, hold,
   * superseding). Removal from an LDAP group raises no Keycloak event, so without this check such a
   * removal would wait for the next timer run. Members who are not active here (newcomers, people
   * put back into a group) start a run too, but a set of them that a run could not make active (not
   * imported by Keycloak yet, disabled in Keycloak) is retried with a growing pause ({@link
   * JoinerRetries}), not every check. An empty read while users are active is left to the next run,
   * which records it as failed.
   */
  void checkMemberships() {
    if (directory.isLocked() || !checking.compareAndSet(false, true)) {
      return;
    }
    try {
      DirectorySettings file = settings.directory();
      Set<String> members = settings.ldap(file).memberUsernames(file.accessGroups());
      Set<String> active = new HashSet<>();
      String after = "";
      for (List<DirectoryUser> batch =
              writer.withStatus(EnumSet.of(UserStatus.ACTIVE), after, DIRECTORY_PAGE);
          !batch.isEmpty();
          batch = writer.withStatus(EnumSet.of(UserStatus.ACTIVE), after, DIRECTORY_PAGE)) {
        for (DirectoryUser user : batch) {
          active.add(user.username());
          after = user.userId();
        }
      }
      if (members.isEmpty() && !active.isEmpty()) {
        LOG.warning("membership check: the access groups in LDAP have no member; nothing done");
        return;
      }
      boolean leaving = !members.containsAll(active);
      Set<String> joining = new HashSet<>(members);
      joining.removeAll(active);
      if (joiners.due(joining, clock.instant()) || leaving) {
        run(false, "membership-check");
      }
    } catch (SyncAlreadyRunningException e) {
      LOG.fine("a reconciliation started meanwhile; it does the work");
    } catch (Exception e) {
      LOG.log(Level.WARNING, "directory membership check failed; nobody disabled", e);
    } finally {
      checking.set(false);
    }
  }

  private KeycloakDirectorySource keycloak() throws Exception {
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
    return new KeycloakDirectorySource(api, settings.pageSize());
  }
}
