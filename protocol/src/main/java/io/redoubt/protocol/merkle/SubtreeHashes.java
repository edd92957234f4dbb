package io.redoubt.protocol.merkle;

/**
 * The source of subtree hashes that proof generation reads: MTH(D[start:end]) over leaves start
 * (inclusive) to end (exclusive). The server backs it with a table of stored subtree hashes; tests
 * and small trees use {@link InMemorySubtreeHashes}.
 *
 * <p>{@link MerkleProofs} only asks for ranges whose start is a multiple of a power of two 2^k with
 * end − start ≤ 2^k (a complete subtree, or the rightmost partial one of a tree), so an
 * implementation can answer from complete subtrees stored per level plus the right edge.
 */
public interface SubtreeHashes {

  /** MTH of leaves [start, end), with 0 ≤ start &lt; end. */
  byte[] hash(long start, long end);
}
