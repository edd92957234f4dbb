package io.redoubt.directory;

/** What a run has done so far; kept by the run, written to its row when it ends. */
public final class SyncCounts {
  int seen;
  int created;
  int updated;
  int enabled;
  int disabled;
  int removed;

  void add(SyncCounts other) {
    seen += other.seen;
    created += other.created;
    updated += other.updated;
    enabled += other.enabled;
    disabled += other.disabled;
    removed += other.removed;
  }
}
