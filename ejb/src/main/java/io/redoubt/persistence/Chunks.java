package io.redoubt.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * Splitting a list for statements with bounded {@code IN} lists and multi-row inserts, so that they
 * stay within the packet and parameter limits however many rows a batch or a group brings.
 */
public final class Chunks {

  private Chunks() {}

  /** {@code all} in consecutive pieces of at most {@code size} (views, not copies). */
  public static <T> List<List<T>> of(List<T> all, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a chunk holds at least one element, not " + size);
    }
    List<List<T>> chunks = new ArrayList<>();
    for (int from = 0; from < all.size(); from += size) {
      chunks.add(all.subList(from, Math.min(all.size(), from + size)));
    }
    return chunks;
  }
}
