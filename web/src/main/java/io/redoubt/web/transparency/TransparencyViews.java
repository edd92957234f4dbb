package io.redoubt.web.transparency;

import io.redoubt.protocol.api.InclusionProofResponse;
import io.redoubt.protocol.api.LogEntryResponse;
import io.redoubt.protocol.api.TreeHeadResponse;
import io.redoubt.protocol.transparency.LogLeaf;
import io.redoubt.protocol.transparency.TreeHead;
import io.redoubt.transparency.LogEntry;
import io.redoubt.transparency.SignedTreeHead;
import java.util.Base64;
import java.util.List;

/** The wire forms of tree heads and proofs, shared by every resource that hands them out. */
public final class TransparencyViews {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private TransparencyViews() {}

  /** A signed tree head as clients verify it. */
  public static TreeHeadResponse treeHead(SignedTreeHead signed) {
    TreeHead content = signed.treeHead();
    return new TreeHeadResponse(
        content.treeSize(),
        B64.encodeToString(content.rootHash()),
        content.time().toEpochMilli(),
        B64.encodeToString(signed.signature()),
        signed.keyFingerprint());
  }

  /**
   * A log entry as {@code GET /transparency/entries} serves it, and as device listings carry each
   * device's issue leaf: the leaf bytes and their decoded fields.
   */
  public static LogEntryResponse entry(LogEntry entry) {
    LogLeaf leaf = entry.leaf();
    return new LogEntryResponse(
        entry.index(),
        B64.encodeToString(entry.leafBytes()),
        leaf.kind().code(),
        leaf.userId(),
        leaf.deviceId(),
        B64.encodeToString(leaf.certificateSha384()),
        leaf.time().toEpochMilli());
  }

  /** An inclusion proof, hashes base64url. */
  public static InclusionProofResponse inclusionProof(
      long index, long treeSize, List<byte[]> auditPath) {
    return new InclusionProofResponse(index, treeSize, hashes(auditPath));
  }

  /** Hashes as base64url strings, in order. */
  public static List<String> hashes(List<byte[]> hashes) {
    return hashes.stream().map(B64::encodeToString).toList();
  }

  /** Bytes as base64url without padding. */
  public static String base64url(byte[] bytes) {
    return B64.encodeToString(bytes);
  }
}
