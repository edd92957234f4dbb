package io.redoubt.transparency;

import io.redoubt.persistence.Chunks;
import io.redoubt.protocol.merkle.MerkleHash;
import io.redoubt.protocol.transparency.LeafKind;
import io.redoubt.protocol.transparency.LogLeaf;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The append-only key-transparency log: appends leaves and answers entries, roots and proofs from
 * the stored subtree hashes.
 *
 * <p>Appends join the CALLER's transaction (enrollment issues a certificate and logs it
 * atomically): a rolled-back enrollment leaves no leaf, and its index is taken by the next append.
 * Each append stores the leaf hash and the hash of every perfect subtree it completes (at most
 * log2(n) of them, each from its two stored children), so no read ever rehashes leaves.
 */
@Stateless
public class TransparencyLog {

  @PersistenceContext(unitName = "redoubt")
  private EntityManager em;

  private final MerkleHash hash = MerkleHash.sha384();
  private final Clock clock = Clock.systemUTC();

  /** Logs that a device certificate was issued; returns the leaf index. */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public long appendIssued(
      @NotNull @Size(max = 255) String userId,
      @NotNull @Size(max = 64) String deviceId,
      @NotNull @Size(min = 48, max = 48) byte[] certificateSha384) {
    return append(LeafKind.CERTIFICATE_ISSUED, userId, deviceId, certificateSha384);
  }

  /** Logs that a device certificate was revoked; returns the leaf index. */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public long appendRevoked(
      @NotNull @Size(max = 255) String userId,
      @NotNull @Size(max = 64) String deviceId,
      @NotNull @Size(min = 48, max = 48) byte[] certificateSha384) {
    return append(LeafKind.CERTIFICATE_REVOKED, userId, deviceId, certificateSha384);
  }

  /** Logs that the records archiver's key changed; returns the leaf index. */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public long appendArchiverKeyChanged(
      @NotNull @Size(max = 255) String userId,
      @NotNull @Size(max = 64) String deviceId,
      @NotNull @Size(min = 48, max = 48) byte[] certificateSha384) {
    return append(LeafKind.ARCHIVER_KEY_CHANGED, userId, deviceId, certificateSha384);
  }

  private long append(LeafKind kind, String userId, String deviceId, byte[] certificateSha384) {
    LogState state = em.find(LogState.class, LogState.ONLY_ROW, LockModeType.PESSIMISTIC_WRITE);
    long index = state.treeSize();
    LogLeaf leaf = new LogLeaf(kind, userId, deviceId, certificateSha384, Instant.now(clock));
    byte[] leafBytes = leaf.encode();
    em.persist(new LogEntry(index, leaf, leafBytes));
    LogProofs.completedBy(
            hash,
            index,
            hash.leafHash(leafBytes),
            left -> em.find(SubtreeHash.class, left.node()).hash())
        .forEach((subtree, value) -> em.persist(new SubtreeHash(subtree, value)));
    state.grow();
    return index;
  }

  /** The number of leaves committed so far. */
  public long size() {
    return em.find(LogState.class, LogState.ONLY_ROW).treeSize();
  }

  /** Leaves [start, end) in index order; the caller bounds the page size. */
  public List<LogEntry> entries(long start, long end) {
    return em.createNamedQuery(LogEntry.RANGE, LogEntry.class)
        .setParameter("start", start)
        .setParameter("end", end)
        .getResultList();
  }

  /**
   * The leaves at {@code indexes}, by index, read in one query per {@value #ENTRIES_PER_QUERY}
   * indexes (a listing of a large group's devices carries each device's issue leaf, and one query
   * per device would cost a round trip each); indexes beyond the log are simply absent.
   */
  public Map<Long, LogEntry> entriesAt(Collection<Long> indexes) {
    Map<Long, LogEntry> found = new HashMap<>();
    for (List<Long> chunk : Chunks.of(indexes.stream().distinct().toList(), ENTRIES_PER_QUERY)) {
      for (LogEntry entry :
          em.createNamedQuery(LogEntry.AT, LogEntry.class)
              .setParameter("indexes", chunk)
              .getResultList()) {
        found.put(entry.index(), entry);
      }
    }
    return found;
  }

  /**
   * Indexes per {@link #entriesAt} query: a bound on the statement's size, far above a group's
   * usual device count.
   */
  static final int ENTRIES_PER_QUERY = 5000;

  /**
   * MTH of the first {@code treeSize} leaves.
   *
   * @throws TreeSizeBeyondLogException when the log is smaller
   */
  public byte[] root(long treeSize) throws TreeSizeBeyondLogException {
    requireWithinLog(treeSize);
    return proofs().root(treeSize);
  }

  /**
   * The inclusion proof of leaf {@code index} in the tree of {@code treeSize} leaves.
   *
   * @throws InvalidLogRangeException unless 0 ≤ index &lt; treeSize
   * @throws TreeSizeBeyondLogException when the log is smaller than treeSize
   */
  public List<byte[]> inclusionProof(long index, long treeSize)
      throws InvalidLogRangeException, TreeSizeBeyondLogException {
    requireLeafIn(index, treeSize);
    requireWithinLog(treeSize);
    return proofs().inclusionProof(index, treeSize);
  }

  private static void requireLeafIn(long index, long treeSize) throws InvalidLogRangeException {
    if (index < 0 || index >= treeSize) {
      throw new InvalidLogRangeException(
          "leaf index " + index + " is not in a tree of " + treeSize + " leaves");
    }
  }

  /**
   * The inclusion proofs of leaves {@code indexes} in the tree of {@code treeSize} leaves, by
   * index, read in one query (see {@link LogProofs#inclusionProofs}).
   *
   * @throws InvalidLogRangeException unless 0 ≤ index &lt; treeSize for every index
   * @throws TreeSizeBeyondLogException when the log is smaller than treeSize
   */
  public Map<Long, List<byte[]>> inclusionProofs(Collection<Long> indexes, long treeSize)
      throws InvalidLogRangeException, TreeSizeBeyondLogException {
    for (long index : indexes) {
      requireLeafIn(index, treeSize);
    }
    requireWithinLog(treeSize);
    return indexes.isEmpty() ? Map.of() : proofs().inclusionProofs(indexes, treeSize);
  }

  /**
   * The consistency proof from the tree of {@code from} leaves to the tree of {@code to} leaves.
   *
   * @throws InvalidLogRangeException unless 1 ≤ from ≤ to
   * @throws TreeSizeBeyondLogException when the log is smaller than {@code to}
   */
  public List<byte[]> consistencyProof(long from, long to)
      throws InvalidLogRangeException, TreeSizeBeyondLogException {
    if (from < 1 || from > to) {
      throw new InvalidLogRangeException(
          "no consistency proof from " + from + " to " + to + " leaves (need 1 <= from <= to)");
    }
    requireWithinLog(to);
    return proofs().consistencyProof(from, to);
  }

  private void requireWithinLog(long treeSize) throws TreeSizeBeyondLogException {
    long size = size();
    if (treeSize > size) {
      throw new TreeSizeBeyondLogException(treeSize, size);
    }
  }

  private LogProofs proofs() {
    return new LogProofs(hash, this::hashesOf);
  }

  private Map<PerfectSubtree, byte[]> hashesOf(Collection<PerfectSubtree> subtrees) {
    List<Long> nodes = subtrees.stream().map(PerfectSubtree::node).toList();
    Map<PerfectSubtree, byte[]> found = new HashMap<>();
    for (SubtreeHash stored :
        em.createNamedQuery(SubtreeHash.BY_NODES, SubtreeHash.class)
            .setParameter("nodes", nodes)
            .getResultList()) {
      found.put(stored.subtree(), stored.hash());
    }
    return found;
  }
}
