package io.redoubt.transparency;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * The stored hash of one perfect subtree (level 0: a leaf hash), keyed by its in-order node number
 * ({@link PerfectSubtree#node()}). Written once, when the subtree's last leaf is appended.
 */
@Entity
@Table(name = "transparency_subtree")
@NamedQuery(
    name = SubtreeHash.BY_NODES,
    query = "SELECT s FROM SubtreeHash s WHERE s.node IN :nodes")
public class SubtreeHash {

  static final String BY_NODES = "SubtreeHash.byNodes";

  @Id
  @Column(name = "node", updatable = false)
  private long node;

  @Column(name = "tree_level", nullable = false, updatable = false)
  private int level;

  @Column(name = "start_index", nullable = false, updatable = false)
  private long start;

  @Column(name = "hash", nullable = false, updatable = false)
  private byte[] hash;

  protected SubtreeHash() {}

  SubtreeHash(PerfectSubtree subtree, byte[] hash) {
    this.node = subtree.node();
    this.level = subtree.level();
    this.start = subtree.start();
    this.hash = hash.clone();
  }

  PerfectSubtree subtree() {
    return new PerfectSubtree(level, start);
  }

  byte[] hash() {
    return hash.clone();
  }
}
