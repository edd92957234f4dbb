package io.redoubt.protocol.transparency;

import io.redoubt.protocol.tbs.Tbs;
import io.redoubt.protocol.tbs.TbsLabel;
import java.time.Instant;
import java.util.Objects;

/**
 * A tree head: the log's size, its RFC 9162 root hash (SHA-384) and when it was signed. The log key
 * signs its TBS encoding with ECDSA P-384/SHA-384:
 *
 * <pre>
 *   TBS("redoubt/v1/tree-head", tree size, root hash, time as epoch milliseconds)
 * </pre>
 */
public record TreeHead(long treeSize, byte[] rootHash, Instant time) {

  public TreeHead {
    if (treeSize < 0) {
      throw new IllegalArgumentException("negative tree size");
    }
    Objects.requireNonNull(rootHash);
    Objects.requireNonNull(time);
    rootHash = rootHash.clone();
    time = Instant.ofEpochMilli(time.toEpochMilli());
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** The bytes the log key signs. */
  public byte[] encode() {
    return Tbs.of(TbsLabel.TREE_HEAD)
        .integer(treeSize)
        .bytes(rootHash)
        .integer(time.toEpochMilli())
        .encode();
  }
}
