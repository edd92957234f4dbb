package io.redoubt.directory;

/**
 * What a run has done so far; kept by the run, written to its row as it goes (progress) and when it
 * ends.
 */
public final class SyncCounts {
  int seen;
  int created;
  int updated;
  int enabled;
  int disabled;
  int removed;

  /** Users looked at so far: access-group members read plus directory users checked by id. */
  int examined;

  int groupJoins;
  int groupLeaves;

  void add(SyncCounts other) {
    seen += other.seen;
    created += other.created;
    updated += other.updated;
    enabled += other.enabled;
    disabled += other.disabled;
    removed += other.removed;
    examined += other.examined;
    groupJoins += other.groupJoins;
    groupLeaves += other.groupLeaves;
  }
}
