package io.redoubt.protocol.api;

import java.util.List;

/**
 * One directory reconciliation run (administrators): what it did, what it does now while it runs,
 * or why it did nothing. Times are ISO-8601 instants.
 *
 * @param outcome RUNNING, SUCCEEDED, FAILED (nobody lost access), HELD (waits for an administrator
 *     to confirm {@code held}), CONFIRMED, or SUPERSEDED (held, then replaced by a later run)
 * @param phase while RUNNING, what the run is doing (e.g. "reading access group redoubt-users");
 *     null once finished
 * @param examined users looked at so far: access-group members read plus users checked by id
 * @param groupJoins security-group memberships added
 * @param groupLeaves security-group memberships removed
 * @param detail the error of a FAILED run, the reason a run is HELD, security groups not updated
 * @param held the changes a HELD run waits to make; empty otherwise
 */
public record SyncRunResponse(
    long runId,
    boolean fullCheck,
    String triggeredBy,
    String startedAt,
    String finishedAt,
    String outcome,
    String phase,
    int examined,
    int seen,
    int created,
    int updated,
    int enabled,
    int disabled,
    int removed,
    int groupJoins,
    int groupLeaves,
    String detail,
    List<HeldChange> held,
    String confirmedBy,
    String confirmedAt) {

  /** A status change a held run waits to make. */
  public record HeldChange(String userId, String username, String newStatus) {}
}
