package io.redoubt.protocol.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of an RFC 9162 tree of {@code size} leaves: the hash of each perfect subtree the
 * binary digits of {@code size} cut it into, largest (leftmost) first — at most 64 hashes, one per
 * set bit. Leaf hashes appended one by one keep it current in O(1) amortised hashing, and {@link
 * #root()} folds it into exactly the root RFC 9162 §2.1.1 defines.
 *
 * <p>This is what lets a client that scans log entries prove to itself that it saw <em>every</em>
 * entry: it appends the hash of each leaf it read and compares the resulting root with a signed
 * tree head. An entry the server skipped, reordered or altered changes that root. The client keeps
 * only these few hashes between scans, never the leaves.
 *
 * <p>Not thread-safe.
 */
public final class CompactRange {

  private final MerkleHash hash;
  private final List<byte[]> hashes;
  private long size;

  /** The empty range (a tree of no leaves). */
  public CompactRange(MerkleHash hash) {
    this(hash, 0, new ArrayList<>());
  }

  private CompactRange(MerkleHash hash, long size, List<byte[]> hashes) {
    this.hash = hash;
    this.size = size;
    this.hashes = hashes;
  }

  /**
   * A range restored from what {@link #size()} and {@link #hashes()} returned earlier.
   *
   * @throws IllegalArgumentException when the number or length of the hashes does not fit {@code
   *     size}
   */
  public static CompactRange restore(MerkleHash hash, long size, List<byte[]> hashes) {
    if (size < 0 || hashes == null || hashes.size() != Long.bitCount(size)) {
      throw new IllegalArgumentException(
          "a compact range of " + size + " leaves has " + Long.bitCount(size) + " hashes");
    }
    List<byte[]> copy = new ArrayList<>(hashes.size());
    for (byte[] h : hashes) {
      if (h == null || h.length != hash.length()) {
        throw new IllegalArgumentException("a compact-range hash is " + hash.length() + " bytes");
      }
      copy.add(h.clone());
    }
    return new CompactRange(hash, size, copy);
  }

  /** How many leaves the range covers: leaves [0, size). */
  public long size() {
    return size;
  }

  /** The perfect-subtree hashes, largest first (copies). */
  public List<byte[]> hashes() {
    return hashes.stream().map(byte[]::clone).toList();
  }

  /** Appends the leaf with hash {@code leafHash} (not the leaf bytes: see {@link MerkleHash}). */
  public void append(byte[] leafHash) {
    if (leafHash == null || leafHash.length != hash.length()) {
      throw new IllegalArgumentException("a leaf hash is " + hash.length() + " bytes");
    }
    byte[] node = leafHash.clone();
    // Each trailing 1-bit of the old size is a perfect subtree of the new leaf's size that the new
    // leaf now completes into one twice as large.
    for (long s = size; (s & 1) == 1; s >>= 1) {
      node = hash.nodeHash(hashes.remove(hashes.size() - 1), node);
    }
    hashes.add(node);
    size++;
  }

  /** The RFC 9162 root of the tree of {@link #size()} leaves. */
  public byte[] root() {
    if (hashes.isEmpty()) {
      return hash.emptyRoot();
    }
    // MTH splits at the largest power of two below n: the leftmost piece, then recursively the
    // rest; folding from the right reproduces exactly that.
    byte[] root = hashes.get(hashes.size() - 1);
    for (int i = hashes.size() - 2; i >= 0; i--) {
      root = hash.nodeHash(hashes.get(i), root);
    }
    return root.clone();
  }
}
