package io.redoubt.transparency;

import java.util.Collection;
import java.util.Map;

/**
 * Reads stored perfect-subtree hashes, many at once. Two implementations: the MariaDB table (one
 * query per call) and the in-memory map of the benchmark and unit tests.
 */
@FunctionalInterface
public interface SubtreeLookup {

  /**
   * The stored hashes of {@code subtrees}, keyed by subtree.
   *
   * @throws IllegalStateException when one of them is not stored (a size beyond the log)
   */
  Map<PerfectSubtree, byte[]> hashesOf(Collection<PerfectSubtree> subtrees);
}
