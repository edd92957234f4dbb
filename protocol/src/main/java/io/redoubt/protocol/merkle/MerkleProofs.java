package io.redoubt.protocol.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Tree heads, inclusion proofs (RFC 9162 §2.1.3.1) and consistency proofs (§2.1.4.1), generated
 * from a {@link SubtreeHashes} source. Proof elements are ordered from the leaf (or the old tree)
 * upwards, as the §2.1.3.2 and §2.1.4.2 verifiers in {@link MerkleVerifier} expect.
 */
public final class MerkleProofs {

  private final MerkleHash hash;
  private final SubtreeHashes subtrees;

  public MerkleProofs(MerkleHash hash, SubtreeHashes subtrees) {
    this.hash = hash;
    this.subtrees = subtrees;
  }

  /** MTH of the first {@code size} leaves; the empty tree's root for size 0. */
  public byte[] root(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("negative tree size");
    }
    return size == 0 ? hash.emptyRoot() : subtrees.hash(0, size);
  }

  /** PATH(index, D[0:size]). */
  public List<byte[]> inclusionProof(long index, long size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    }
    List<byte[]> proof = new ArrayList<>();
    path(index, 0, size, proof);
    return proof;
  }

  /** PROOF(oldSize, D[0:newSize]); empty when the sizes are equal. */
  public List<byte[]> consistencyProof(long oldSize, long newSize) {
    if (oldSize < 1 || oldSize > newSize) {
      throw new IllegalArgumentException(
          "no consistency proof from " + oldSize + " to " + newSize + " leaves");
    }
    List<byte[]> proof = new ArrayList<>();
    subproof(oldSize, 0, newSize, true, proof);
    return proof;
  }

  /** The largest power of two strictly smaller than n (n ≥ 2): RFC 9162's split point k. */
  static long largestPowerOfTwoBelow(long n) {
    if (n < 2) {
      throw new IllegalArgumentException("no split for " + n + " leaves");
    }
    return Long.highestOneBit(n - 1);
  }

  private void path(long index, long start, long end, List<byte[]> proof) {
    if (end - start == 1) {
      return;
    }
    long split = start + largestPowerOfTwoBelow(end - start);
    if (start + index < split) {
      path(index, start, split, proof);
      proof.add(subtrees.hash(split, end));
    } else {
      path(index - (split - start), split, end, proof);
      proof.add(subtrees.hash(start, split));
    }
  }

  private void subproof(
      long oldSize, long start, long end, boolean oldIsWholeSubtree, List<byte[]> proof) {
    if (oldSize == end - start) {
      if (!oldIsWholeSubtree) {
        proof.add(subtrees.hash(start, end));
      }
      return;
    }
    long half = largestPowerOfTwoBelow(end - start);
    if (oldSize <= half) {
      subproof(oldSize, start, start + half, oldIsWholeSubtree, proof);
      proof.add(subtrees.hash(start + half, end));
    } else {
      subproof(oldSize - half, start + half, end, false, proof);
      proof.add(subtrees.hash(start, start + half));
    }
  }
}
