package io.redoubt.transparency;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The log's single state row: its size. Every append locks this row ({@code SELECT ... FOR UPDATE})
 * for the rest of the caller's transaction, so appends are serialised and leaf indexes are dense,
 * in commit order, and never reused (a rolled-back append releases its index together with its
 * rows).
 */
@Entity
@Table(name = "transparency_log_state")
public class LogState {

  /** The id of the only row, inserted by the migration. */
  static final int ONLY_ROW = 1;

  @Id private int id;

  @Column(name = "tree_size", nullable = false)
  private long treeSize;

  protected LogState() {}

  long treeSize() {
    return treeSize;
  }

  void grow() {
    treeSize++;
  }
}
