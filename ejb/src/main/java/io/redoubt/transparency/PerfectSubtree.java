package io.redoubt.transparency;

import java.util.ArrayList;
import java.util.List;

/**
 * A complete ("perfect") subtree of the log: the 2^level leaves starting at {@code start}, where
 * start is a multiple of 2^level. Only these are stored; their hashes never change once the last of
 * their leaves is appended, because the log is append-only.
 *
 * <p>{@link #node()} numbers them in the in-order layout of an infinite binary tree (leaves at even
 * numbers, a subtree at 2·start + 2^level − 1): one unique, dense-ish integer per stored hash,
 * which is the table's primary key.
 */
public record PerfectSubtree(int level, long start) {

  /** Deep enough for 2^62 leaves. */
  static final int MAX_LEVEL = 62;

  public PerfectSubtree {
    if (level < 0 || level > MAX_LEVEL || start < 0 || (start & ((1L << level) - 1)) != 0) {
      throw new IllegalArgumentException("no perfect subtree at level " + level + ", " + start);
    }
  }

  /** The number of leaves, 2^level. */
  public long width() {
    return 1L << level;
  }

  /** One past the last leaf. */
  public long end() {
    return start + width();
  }

  /** The in-order node number: 2·start + 2^level − 1. */
  public long node() {
    return 2 * start + width() - 1;
  }

  /** The left half (level ≥ 1). */
  public PerfectSubtree leftChild() {
    return new PerfectSubtree(level - 1, start);
  }

  /**
   * The perfect subtrees of levels ≥ 1 that the leaf at {@code index} completes, lowest first: the
   * leaf is the last of a subtree of 2^k leaves exactly when index + 1 is a multiple of 2^k.
   */
  public static List<PerfectSubtree> completedBy(long index) {
    List<PerfectSubtree> completed = new ArrayList<>();
    long size = index + 1;
    for (int level = 1; level <= MAX_LEVEL && size % (1L << level) == 0; level++) {
      completed.add(new PerfectSubtree(level, size - (1L << level)));
    }
    return completed;
  }

  /**
   * Splits the leaves [start, end) into the perfect subtrees whose hashes fold into MTH(D[start:
   * end)), largest (leftmost) first. Defined when start is aligned to a power of two at least as
   * large as the range, which is every range RFC 9162 proof generation asks for: then MTH is the
   * right fold of the pieces (each split point of RFC 9162 §2.1.1 is a piece boundary). At most one
   * piece per bit of (end − start), so O(log n).
   *
   * @throws IllegalArgumentException for an empty range or an unaligned start
   */
  public static List<PerfectSubtree> decompose(long start, long end) {
    long width = end - start;
    if (start < 0 || width <= 0) {
      throw new IllegalArgumentException("no leaves in [" + start + ", " + end + ")");
    }
    if (start != 0 && Long.lowestOneBit(start) < Long.highestOneBit(width - 1) << 1) {
      throw new IllegalArgumentException("range [" + start + ", " + end + ") is not aligned");
    }
    List<PerfectSubtree> pieces = new ArrayList<>(Long.bitCount(width));
    long at = start;
    for (int level = 63 - Long.numberOfLeadingZeros(width); level >= 0; level--) {
      if ((width & (1L << level)) != 0) {
        pieces.add(new PerfectSubtree(level, at));
        at += 1L << level;
      }
    }
    return pieces;
  }
}
