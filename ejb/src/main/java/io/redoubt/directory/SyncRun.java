package io.redoubt.directory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/** One reconciliation run and what came of it. */
@Entity
@Table(name = "directory_sync_run")
@NamedQuery(name = SyncRun.NEWEST, query = "SELECT r FROM SyncRun r ORDER BY r.runId DESC")
@NamedQuery(
    name = SyncRun.WITH_OUTCOME,
    query = "SELECT r FROM SyncRun r WHERE r.outcome = :outcome")
@NamedQuery(
    name = SyncRun.HELD_BEFORE,
    query = "SELECT r FROM SyncRun r WHERE r.outcome = :held AND r.runId < :runId")
@NamedQuery(
    name = SyncRun.NEWEST_FULL_SUCCESS,
    query =
        "SELECT MAX(r.startedAt) FROM SyncRun r WHERE r.fullCheck = TRUE AND r.outcome IN :outcomes")
public class SyncRun {

  static final String NEWEST = "SyncRun.newest";
  static final String WITH_OUTCOME = "SyncRun.withOutcome";
  static final String HELD_BEFORE = "SyncRun.heldBefore";
  static final String NEWEST_FULL_SUCCESS = "SyncRun.newestFullSuccess";

  /** How a run ended (or that it has not). */
  public enum Outcome {
    RUNNING,
    SUCCEEDED,
    /** Nothing was disabled: the directory could not be read completely. */
    FAILED,
    /** Would have disabled too many users at once: those changes wait for an administrator. */
    HELD,
    /** Was held; an administrator confirmed and the changes were applied. */
    CONFIRMED,
    /**
     * Was held, but a later run read the directory again and decided afresh: its changes can no
     * longer be confirmed (they may be stale), the later run's can.
     */
    SUPERSEDED
  }

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  @Column(name = "run_id")
  private Long runId;

  @Column(name = "full_check", nullable = false)
  private boolean fullCheck;

  @Column(name = "triggered_by", nullable = false, length = 64)
  private String triggeredBy;

  @Column(name = "started_at", nullable = false)
  private Instant startedAt;

  @Column(name = "finished_at")
  private Instant finishedAt;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  private Outcome outcome = Outcome.RUNNING;

  private int seen;
  private int created;
  private int updated;
  private int enabled;
  private int disabled;
  private int removed;

  /** What the run is doing now (null once finished): shown to the operator. */
  @Column(length = 64)
  private String phase;

  private int examined;

  @Column(name = "group_joins")
  private int groupJoins;

  @Column(name = "group_leaves")
  private int groupLeaves;

  @Column(length = 2000)
  private String detail;

  @Column(name = "confirmed_by")
  private String confirmedBy;

  @Column(name = "confirmed_at")
  private Instant confirmedAt;

  protected SyncRun() {}

  SyncRun(boolean fullCheck, String triggeredBy, Instant startedAt) {
    this.fullCheck = fullCheck;
    this.triggeredBy = triggeredBy;
    this.startedAt = startedAt;
  }

  void progress(String now, SyncCounts counts) {
    phase = now;
    copy(counts);
  }

  /**
   * Ends a run that was left RUNNING when its server stopped, keeping the counts it had written.
   */
  void abandoned(String why, Instant at) {
    outcome = Outcome.FAILED;
    phase = null;
    detail = clipped(why);
    finishedAt = at;
  }

  void finish(Outcome how, SyncCounts counts, String why, Instant at) {
    outcome = how;
    phase = null;
    copy(counts);
    detail = clipped(why);
    finishedAt = at;
  }

  void supersededBy(long laterRunId) {
    outcome = Outcome.SUPERSEDED;
    detail = clipped(detail + "; superseded by run " + laterRunId);
  }

  private void copy(SyncCounts counts) {
    seen = counts.seen;
    created = counts.created;
    updated = counts.updated;
    enabled = counts.enabled;
    disabled = counts.disabled;
    removed = counts.removed;
    examined = counts.examined;
    groupJoins = counts.groupJoins;
    groupLeaves = counts.groupLeaves;
  }

  private static String clipped(String text) {
    return text == null ? null : text.length() > 2000 ? text.substring(0, 2000) : text;
  }

  void confirmed(String by, int disabledNow, int removedNow, Instant at) {
    outcome = Outcome.CONFIRMED;
    confirmedBy = by;
    confirmedAt = at;
    disabled += disabledNow;
    removed += removedNow;
  }

  public Long runId() {
    return runId;
  }

  public boolean fullCheck() {
    return fullCheck;
  }

  public String triggeredBy() {
    return triggeredBy;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public Outcome outcome() {
    return outcome;
  }

  public int seen() {
    return seen;
  }

  public int created() {
    return created;
  }

  public int updated() {
    return updated;
  }

  public int enabled() {
    return enabled;
  }

  public int disabled() {
    return disabled;
  }

  public int removed() {
    return removed;
  }

  public String phase() {
    return phase;
  }

  public int examined() {
    return examined;
  }

  public int groupJoins() {
    return groupJoins;
  }

  public int groupLeaves() {
    return groupLeaves;
  }

  public String detail() {
    return detail;
  }

  public String confirmedBy() {
    return confirmedBy;
  }

  public Instant confirmedAt() {
    return confirmedAt;
  }
}
