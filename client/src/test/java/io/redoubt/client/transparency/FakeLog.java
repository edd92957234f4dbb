package io.redoubt.client.transparency;

import io.redoubt.protocol.api.LogEntryResponse;
import io.redoubt.protocol.api.TreeHeadResponse;
import io.redoubt.protocol.crypto.EcdsaP384;
import io.redoubt.protocol.merkle.InMemorySubtreeHashes;
import io.redoubt.protocol.merkle.MerkleHash;
import io.redoubt.protocol.merkle.MerkleProofs;
import io.redoubt.protocol.transparency.LeafKind;
import io.redoubt.protocol.transparency.LogLeaf;
import io.redoubt.protocol.transparency.TreeHead;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * An honest in-memory transparency log with a software log key, built on the protocol module's own
 * tree code, plus knobs to make it lie the ways a compromised server could.
 */
public final class FakeLog implements LogReader {

  static final MerkleHash HASH = MerkleHash.sha384();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair key;
  final List<LogLeaf> leaves = new ArrayList<>();
  private InMemorySubtreeHashes tree = new InMemorySubtreeHashes(HASH);

  /** Rewrites an entry on its way out (fields only: the leaf bytes stay). */
  UnaryOperator<LogEntryResponse> entryTamper = UnaryOperator.identity();

  /** Serves the entries of this list instead of the signed ones, when set. */
  List<LogLeaf> servedLeaves;

  /** Signs heads over this tree instead of the real one, when set (a fork). */
  InMemorySubtreeHashes headTree;

  boolean corruptSignature;

  public FakeLog() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    key = generator.generateKeyPair();
  }

  public ECPublicKey logKey() {
    return (ECPublicKey) key.getPublic();
  }

  /** Appends a certificate-issued leaf and returns its index. */
  public long issue(String userId, String deviceId, byte[] certificateHash) {
    return append(
        new LogLeaf(LeafKind.CERTIFICATE_ISSUED, userId, deviceId, certificateHash, now()));
  }

  long revoke(String userId, String deviceId, byte[] certificateHash) {
    return append(
        new LogLeaf(LeafKind.CERTIFICATE_REVOKED, userId, deviceId, certificateHash, now()));
  }

  /** Appends {@code count} leaves of random other users. */
  public void noise(int count) {
    for (int i = 0; i < count; i++) {
      issue("user-" + UUID.randomUUID(), UUID.randomUUID().toString(), randomHash());
    }
  }

  long append(LogLeaf leaf) {
    leaves.add(leaf);
    tree.append(leaf.encode());
    return leaves.size() - 1;
  }

  public static byte[] randomHash() {
    byte[] hash = new byte[48];
    RANDOM.nextBytes(hash);
    return hash;
  }

  public static String b64(byte[] bytes) {
    return B64.encodeToString(bytes);
  }

  private static Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis());
  }

  public TreeHeadResponse head(long size) {
    InMemorySubtreeHashes signedTree = headTree != null ? headTree : tree;
    byte[] root = size == 0 ? HASH.emptyRoot() : new MerkleProofs(HASH, signedTree).root(size);
    TreeHead head = new TreeHead(size, root, now());
    try {
      byte[] signature = EcdsaP384.sign(key.getPrivate(), head.encode());
      if (corruptSignature) {
        signature = EcdsaP384.sign(key.getPrivate(), "something else".getBytes());
      }
      return new TreeHeadResponse(
          size, b64(root), head.time().toEpochMilli(), b64(signature), "fingerprint");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public TreeHeadResponse newestHead() {
    return head(leaves.size());
  }

  @Override
  public TreeHeadResponse headCovering(long index) {
    return newestHead();
  }

  /** How many times {@link #entries} was asked: a client that needs none should ask none. */
  public int entryRequests() {
    return entryRequests;
  }

  private int entryRequests;

  @Override
  public List<LogEntryResponse> entries(long start, long end) {
    entryRequests++;
    List<LogLeaf> source = servedLeaves != null ? servedLeaves : leaves;
    List<LogEntryResponse> page = new ArrayList<>();
    for (long i = start; i < end && i < source.size(); i++) {
      page.add(entry(i));
    }
    return page;
  }

  /**
   * Entry {@code index} as {@link #entries} serves it, without counting as a request: what a server
   * puts in a listing beside each device.
   */
  public LogEntryResponse entry(long index) {
    LogLeaf leaf = (servedLeaves != null ? servedLeaves : leaves).get((int) index);
    return entryTamper.apply(
        new LogEntryResponse(
            index,
            b64(leaf.encode()),
            leaf.kind().code(),
            leaf.userId(),
            leaf.deviceId(),
            b64(leaf.certificateSha384()),
            leaf.time().toEpochMilli()));
  }

  @Override
  public List<String> inclusionProof(long index, long treeSize) {
    return new MerkleProofs(HASH, tree)
        .inclusionProof(index, treeSize).stream().map(FakeLog::b64).toList();
  }

  @Override
  public List<String> consistencyProof(long from, long to) {
    return new MerkleProofs(HASH, tree)
        .consistencyProof(from, to).stream().map(FakeLog::b64).toList();
  }

  /** Rebuilds the tree from {@link #leaves} after a test rewrote history. */
  void rebuild() {
    tree = new InMemorySubtreeHashes(HASH);
    leaves.forEach(leaf -> tree.append(leaf.encode()));
  }
}
