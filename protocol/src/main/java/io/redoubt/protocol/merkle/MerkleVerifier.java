package io.redoubt.protocol.merkle;

import java.security.MessageDigest;
import java.util.List;

/**
 * Client-side proof verification, exactly the algorithms of RFC 9162 §2.1.3.2 (inclusion) and
 * §2.1.4.2 (consistency). Malformed input (a wrong-length hash, a size out of range, a proof of the
 * wrong length) makes verification fail; nothing here throws on attacker-supplied data. Roots are
 * compared in constant time.
 */
public final class MerkleVerifier {

  private final MerkleHash hash;

  public MerkleVerifier(MerkleHash hash) {
    this.hash = hash;
  }

  /** True when {@code proof} shows the leaf with hash {@code leafHash} at {@code index}. */
  public boolean verifyInclusion(
      byte[] leafHash, long index, long treeSize, List<byte[]> proof, byte[] root) {
    if (index < 0 || index >= treeSize || !wellFormed(proof) || !isHash(leafHash)) {
      return false;
    }
    long fn = index;
    long sn = treeSize - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = hash.nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = hash.nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && isHash(root) && MessageDigest.isEqual(r, root);
  }

  /**
   * True when {@code proof} shows that the tree of {@code firstSize} leaves with root {@code
   * firstRoot} is a prefix of the tree of {@code secondSize} leaves with root {@code secondRoot}.
   * Equal sizes need an empty proof and equal roots.
   */
  public boolean verifyConsistency(
      long firstSize, long secondSize, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
    if (firstSize < 1 || firstSize > secondSize || !wellFormed(proof)) {
      return false;
    }
    if (!isHash(firstRoot) || !isHash(secondRoot)) {
      return false;
    }
    if (firstSize == secondSize) {
      return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
    }
    if (proof.isEmpty()) {
      return false;
    }
    int next = 0;
    byte[] fr;
    if (Long.bitCount(firstSize) == 1) {
      fr = firstRoot;
    } else {
      fr = proof.get(next++);
    }
    byte[] sr = fr;
    long fn = firstSize - 1;
    long sn = secondSize - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    for (; next < proof.size(); next++) {
      byte[] c = proof.get(next);
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = hash.nodeHash(c, fr);
        sr = hash.nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = hash.nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
  }

  private boolean wellFormed(List<byte[]> proof) {
    if (proof == null || proof.size() > 64) {
      return false;
    }
    for (byte[] element : proof) {
      if (!isHash(element)) {
        return false;
      }
    }
    return true;
  }

  private boolean isHash(byte[] value) {
    return value != null && value.length == hash.length();
  }
}
