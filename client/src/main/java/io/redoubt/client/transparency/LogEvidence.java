package io.redoubt.client.transparency;

import io.redoubt.protocol.api.LogEntryResponse;
import io.redoubt.protocol.merkle.MerkleHash;
import io.redoubt.protocol.merkle.MerkleVerifier;
import io.redoubt.protocol.transparency.LeafKind;
import io.redoubt.protocol.transparency.LogLeaf;
import io.redoubt.protocol.transparency.TreeHead;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Checks on single log entries: that an entry's decoded fields are exactly its leaf bytes, and that
 * a leaf is in a signed tree.
 */
public final class LogEvidence {

  static final MerkleHash HASH = MerkleHash.sha384();
  private static final MerkleVerifier VERIFIER = new MerkleVerifier(HASH);

  private LogEvidence() {}

  /**
   * The leaf {@code entry} describes, after checking that {@code LogLeaf(fields).encode()} equals
   * the served leaf bytes — so the fields a client reads (user, device, certificate) are the ones
   * the tree commits to.
   *
   * @throws TransparencyException when a field is malformed or the fields and bytes differ
   */
  public static LogLeaf checkedLeaf(LogEntryResponse entry) throws TransparencyException {
    LogLeaf leaf;
    byte[] served;
    try {
      leaf =
          new LogLeaf(
              LeafKind.ofCode(entry.kind()),
              entry.userId(),
              entry.deviceId(),
              Base64.getUrlDecoder().decode(String.valueOf(entry.certificateSha384())),
              Instant.ofEpochMilli(entry.timestamp()));
      served = Base64.getUrlDecoder().decode(String.valueOf(entry.leaf()));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new TransparencyException(
          "log entry " + entry.index() + " is malformed: " + e.getMessage(), e);
    }
    if (!Arrays.equals(leaf.encode(), served)) {
      throw new TransparencyException(
          "log entry "
              + entry.index()
              + "'s fields do not match its leaf bytes: the entry was altered");
    }
    return leaf;
  }

  /** The RFC 9162 leaf hash of a leaf. */
  public static byte[] leafHash(LogLeaf leaf) {
    return HASH.leafHash(leaf.encode());
  }

  /**
   * Requires {@code auditPath} to prove {@code leaf} at {@code index} in the signed {@code head}.
   *
   * @throws TransparencyException naming the index and tree size when it does not
   */
  public static void requireIncluded(
      LogLeaf leaf, long index, TreeHead head, List<String> auditPath)
      throws TransparencyException {
    if (!VERIFIER.verifyInclusion(
        leafHash(leaf), index, head.treeSize(), decode(auditPath), head.rootHash())) {
      throw new TransparencyException(
          "the inclusion proof of log entry "
              + index
              + " in the signed tree of size "
              + head.treeSize()
              + " does not verify");
    }
  }

  /**
   * Requires {@code proof} to show the tree {@code older} is a prefix of {@code newer}.
   *
   * @throws TransparencyException when it does not: the log was rewritten, or forked for us
   */
  public static void requireConsistent(TreeHead older, TreeHead newer, List<String> proof)
      throws TransparencyException {
    if (!VERIFIER.verifyConsistency(
        older.treeSize(), newer.treeSize(), older.rootHash(), newer.rootHash(), decode(proof))) {
      throw new TransparencyException(
          "the log is not consistent: the consistency proof from the signed tree of size "
              + older.treeSize()
              + " to that of size "
              + newer.treeSize()
              + " does not verify (the log was rewritten, or this client is shown a fork)");
    }
  }

  static List<byte[]> decode(List<String> hashes) throws TransparencyException {
    if (hashes == null) {
      throw new TransparencyException("the server sent no proof");
    }
    try {
      return hashes.stream().map(h -> Base64.getUrlDecoder().decode(h)).toList();
    } catch (IllegalArgumentException e) {
      throw new TransparencyException("a proof hash is not base64url", e);
    }
  }
}
