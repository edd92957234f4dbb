package io.redoubt.web.transparency;

import io.redoubt.protocol.api.InclusionProofResponse;
import io.redoubt.protocol.api.TreeHeadResponse;
import io.redoubt.protocol.transparency.TreeHead;
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
