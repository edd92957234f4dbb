package io.redoubt.protocol.merkle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link SubtreeHashes} over an in-memory list of leaf hashes, memoising every subtree it computes.
 * Leaves can be appended; a subtree hash, once computed, never changes because the tree is
 * append-only and a range [start, end) is fixed once end leaves exist. Not thread-safe.
 */
public final class InMemorySubtreeHashes implements SubtreeHashes {

  private final MerkleHash hash;
  private final List<byte[]> leafHashes = new ArrayList<>();
  private final Map<Range, byte[]> memo = new HashMap<>();

  public InMemorySubtreeHashes(MerkleHash hash) {
    this.hash = hash;
  }

  /** Appends a leaf (its raw bytes; the leaf hash is computed here). */
  public void append(byte[] leaf) {
    leafHashes.add(hash.leafHash(leaf));
  }

  public long size() {
    return leafHashes.size();
  }

  @Override
  public byte[] hash(long start, long end) {
    if (start < 0 || end <= start || end > leafHashes.size()) {
      throw new IllegalArgumentException("no subtree [" + start + ", " + end + ")");
    }
    if (end - start == 1) {
      return leafHashes.get((int) start).clone();
    }
    Range range = new Range(start, end);
    byte[] known = memo.get(range);
    if (known == null) {
      long split = start + MerkleProofs.largestPowerOfTwoBelow(end - start);
      known = hash.nodeHash(hash(start, split), hash(split, end));
      memo.put(range, known);
    }
    return known.clone();
  }

  private record Range(long start, long end) {}
}
