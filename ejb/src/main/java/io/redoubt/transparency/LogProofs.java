package io.redoubt.transparency;

import io.redoubt.protocol.merkle.MerkleHash;
import io.redoubt.protocol.merkle.MerkleProofs;
import io.redoubt.protocol.merkle.SubtreeHashes;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Roots, inclusion and consistency proofs from stored perfect-subtree hashes, with exactly ONE
 * lookup per answer and no leaf ever rehashed.
 *
 * <p>How: {@link MerkleProofs} (the protocol module's RFC 9162 code, not a second copy) runs twice.
 * The first run records which ranges it asks for (answering with placeholders); each range is
 * {@link PerfectSubtree#decompose decomposed} into O(log n) perfect subtrees; all of them are
 * fetched in one lookup; the second run folds the fetched hashes. A proof of a tree of n leaves
 * needs O(log n) ranges of O(log n) pieces each, in practice fewer than 2·log2(n) distinct pieces.
 */
public final class LogProofs {

  private final MerkleHash hash;
  private final SubtreeLookup lookup;

  public LogProofs(MerkleHash hash, SubtreeLookup lookup) {
    this.hash = hash;
    this.lookup = lookup;
  }

  /** MTH of the first {@code size} leaves (the empty tree's root for 0). */
  public byte[] root(long size) {
    return answer(proofs -> proofs.root(size));
  }

  /** The inclusion proof of leaf {@code index} in the tree of {@code size} leaves. */
  public List<byte[]> inclusionProof(long index, long size) {
    return answer(proofs -> proofs.inclusionProof(index, size));
  }

  /**
   * The inclusion proofs of leaves {@code indexes} in the tree of {@code size} leaves, by index,
   * from ONE lookup for all of them: a listing of a large group's devices needs one proof per
   * device, and the upper subtrees are shared between them.
   */
  public Map<Long, List<byte[]>> inclusionProofs(Collection<Long> indexes, long size) {
    return answer(
        proofs -> {
          Map<Long, List<byte[]>> all = new LinkedHashMap<>();
          for (long index : indexes) {
            all.computeIfAbsent(index, i -> proofs.inclusionProof(i, size));
          }
          return all;
        });
  }

  /** The consistency proof from {@code oldSize} to {@code newSize} leaves. */
  public List<byte[]> consistencyProof(long oldSize, long newSize) {
    return answer(proofs -> proofs.consistencyProof(oldSize, newSize));
  }

  /**
   * The perfect subtrees that appending leaf {@code index} (with hash {@code leafHash}) completes,
   * with their hashes, lowest first: the leaf itself, then every subtree it is the last leaf of,
   * each hashed from its stored left child ({@code stored}) and the subtree just completed.
   */
  public static Map<PerfectSubtree, byte[]> completedBy(
      MerkleHash hash, long index, byte[] leafHash, Function<PerfectSubtree, byte[]> stored) {
    Map<PerfectSubtree, byte[]> completed = new LinkedHashMap<>();
    byte[] right = leafHash;
    completed.put(new PerfectSubtree(0, index), right);
    for (PerfectSubtree subtree : PerfectSubtree.completedBy(index)) {
      right = hash.nodeHash(stored.apply(subtree.leftChild()), right);
      completed.put(subtree, right);
    }
    return completed;
  }

  private <T> T answer(Function<MerkleProofs, T> question) {
    Set<PerfectSubtree> needed = new LinkedHashSet<>();
    byte[] placeholder = new byte[hash.length()];
    question.apply(
        new MerkleProofs(
            hash,
            (start, end) -> {
              needed.addAll(PerfectSubtree.decompose(start, end));
              return placeholder;
            }));
    Map<PerfectSubtree, byte[]> stored = needed.isEmpty() ? Map.of() : lookup.hashesOf(needed);
    return question.apply(new MerkleProofs(hash, new Folded(stored)));
  }

  /** MTH of an aligned range as the right fold of its perfect pieces. */
  private final class Folded implements SubtreeHashes {
    private final Map<PerfectSubtree, byte[]> stored;

    Folded(Map<PerfectSubtree, byte[]> stored) {
      this.stored = stored;
    }

    @Override
    public byte[] hash(long start, long end) {
      List<PerfectSubtree> pieces = PerfectSubtree.decompose(start, end);
      byte[] folded = require(pieces.get(pieces.size() - 1));
      for (int i = pieces.size() - 2; i >= 0; i--) {
        folded = hash.nodeHash(require(pieces.get(i)), folded);
      }
      return folded;
    }

    private byte[] require(PerfectSubtree subtree) {
      byte[] value = stored.get(subtree);
      if (value == null) {
        throw new IllegalStateException("subtree " + subtree + " is not stored");
      }
      return value;
    }
  }
}
