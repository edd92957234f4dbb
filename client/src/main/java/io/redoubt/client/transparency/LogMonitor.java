package io.redoubt.client.transparency;

import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.transparency.MonitorState.Finding;
import io.redoubt.client.transparency.MonitorState.KnownDevice;
import io.redoubt.protocol.api.LogEntryResponse;
import io.redoubt.protocol.api.TreeHeadResponse;
import io.redoubt.protocol.merkle.CompactRange;
import io.redoubt.protocol.transparency.LeafKind;
import io.redoubt.protocol.transparency.LogLeaf;
import io.redoubt.protocol.transparency.TreeHead;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A profile's watch over the key-transparency log ({@code redoubt kt verify}):
 *
 * <ol>
 *   <li>the newest head's signature, with the pinned log key;
 *   <li>its consistency with the last head the profile saw — a failure is loud, and the stored head
 *       never moves backwards;
 *   <li>every log entry from where the profile last scanned to the new size, each entry's fields
 *       checked against its leaf bytes, each leaf hash appended to the profile's compact range,
 *       whose root must then equal the signed root: so the entries read <em>are</em> the log, none
 *       skipped, altered or invented;
 *   <li>in those entries, certificates issued under the profile's own user that it neither enrolled
 *       nor acknowledged: alarms, kept until acknowledged;
 *   <li>inclusion of every certificate the profile relies on (its own and its peers') in the signed
 *       tree.
 * </ol>
 */
public final class LogMonitor {

  /** The server's page limit for entries. */
  static final int PAGE = 1000;

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final LogReader log;
  private final ECPublicKey logKey;

  public LogMonitor(LogReader log, ECPublicKey logKey) {
    this.log = log;
    this.logKey = logKey;
  }

  /**
   * Verifies a head the server served (in any answer) and reconciles it with the state: a larger
   * head must extend the stored one (consistency proof) and replaces it; a smaller one must be a
   * prefix of it and changes nothing; an equal size needs an equal root.
   *
   * @return the state with the larger of the two heads
   * @throws TransparencyException when the signature or the consistency does not verify
   */
  public MonitorState observe(MonitorState state, TreeHeadResponse served)
      throws TransparencyException, IOException, InterruptedException, RedoubtApiException {
    TreeHead head = SignedHeads.verify(served, logKey);
    if (state.lastHead() == null) {
      return state.withLastHead(served);
    }
    TreeHead last = SignedHeads.verify(state.lastHead(), logKey);
    if (head.treeSize() == last.treeSize()) {
      if (!MessageDigest.isEqual(head.rootHash(), last.rootHash())) {
        throw new TransparencyException(
            "the log is not consistent: two signed heads of size "
                + head.treeSize()
                + " have different roots (this client is shown a fork of the log)");
      }
      return state;
    }
    boolean grew = head.treeSize() > last.treeSize();
    TreeHead older = grew ? last : head;
    TreeHead newer = grew ? head : last;
    if (older.treeSize() > 0) {
      LogEvidence.requireConsistent(
          older, newer, log.consistencyProof(older.treeSize(), newer.treeSize()));
    } else if (!MessageDigest.isEqual(older.rootHash(), LogEvidence.HASH.emptyRoot())) {
      throw new TransparencyException("a signed head of size 0 has a root other than H(\"\")");
    }
    return grew ? state.withLastHead(served) : state;
  }

  /** Runs every check above and returns the outcome with the state to save. */
  public Report verify(MonitorState state)
      throws TransparencyException, IOException, InterruptedException, RedoubtApiException {
    long previous = state.lastHead() == null ? 0 : state.lastHead().treeSize();
    state = observe(state, log.newestHead());
    TreeHead target = SignedHeads.verify(state.lastHead(), logKey);
    long size = target.treeSize();
    long from = state.scannedSize();
    if (from > size) {
      throw new TransparencyException(
          "the profile's scan covers "
              + from
              + " entries but its newest signed head only "
              + size
              + ": the profile's transparency state is damaged");
    }

    CompactRange range;
    try {
      range = CompactRange.restore(LogEvidence.HASH, from, LogEvidence.decode(state.frontier()));
    } catch (IllegalArgumentException e) {
      throw new TransparencyException("the profile's stored compact range is damaged", e);
    }
    List<KnownDevice> devices = new ArrayList<>(state.devices());
    List<Finding> alarms = new ArrayList<>(state.alarms());
    List<KnownDevice> preexisting = new ArrayList<>();
    List<KnownDevice> revoked = new ArrayList<>();
    Map<Long, LogLeaf> scanned = new HashMap<>();
    for (long start = from; start < size; start += PAGE) {
      long end = Math.min(size, start + PAGE);
      List<LogEntryResponse> page = log.entries(start, end);
      if (page == null || page.size() != end - start) {
        throw new TransparencyException(
            "the server returned "
                + (page == null ? 0 : page.size())
                + " entries for ["
                + start
                + ", "
                + end
                + ")");
      }
      for (int i = 0; i < page.size(); i++) {
        LogEntryResponse entry = page.get(i);
        long index = start + i;
        if (entry.index() != index) {
          throw new TransparencyException(
              "the server returned entry " + entry.index() + " where " + index + " belongs");
        }
        LogLeaf leaf = LogEvidence.checkedLeaf(entry);
        range.append(LogEvidence.leafHash(leaf));
        scanned.put(index, leaf);
        classify(state, index, leaf, entry, devices, alarms, preexisting, revoked);
      }
    }
    if (!MessageDigest.isEqual(range.root(), target.rootHash())) {
      throw new TransparencyException(
          "the log entries ["
              + from
              + ", "
              + size
              + ") the server served do not hash to the signed root of size "
              + size
              + ": entries were hidden, altered or reordered");
    }

    int inclusionChecked = 0;
    for (KnownDevice device : devices) {
      // A revoked certificate is no longer relied on; that its issue stays in the log is already
      // proven for every entry by the consistency proofs and the scan, so re-fetching it per run
      // (two requests each) would buy nothing.
      if (device.revoked()) {
        continue;
      }
      requireLogged(device, target, scanned);
      inclusionChecked++;
    }
    MonitorState next =
        state.withScan(
            size, range.hashes().stream().map(B64::encodeToString).toList(), devices, alarms);
    return new Report(next, previous, size, from, inclusionChecked, preexisting, revoked);
  }

  private static void classify(
      MonitorState state,
      long index,
      LogLeaf leaf,
      LogEntryResponse entry,
      List<KnownDevice> devices,
      List<Finding> alarms,
      List<KnownDevice> preexisting,
      List<KnownDevice> revoked) {
    String hash = entry.certificateSha384();
    if (leaf.kind() == LeafKind.CERTIFICATE_REVOKED) {
      for (int d = 0; d < devices.size(); d++) {
        KnownDevice known = devices.get(d);
        if (!known.revoked() && matches(known, leaf.userId(), leaf.deviceId(), hash)) {
          devices.set(d, known.asRevoked());
          revoked.add(known);
        }
      }
      return;
    }
    if (leaf.kind() != LeafKind.CERTIFICATE_ISSUED || !leaf.userId().equals(state.userId())) {
      return;
    }
    boolean vouched =
        devices.stream()
            .anyMatch(k -> k.vouchedFor() && matches(k, leaf.userId(), leaf.deviceId(), hash));
    if (vouched) {
      return;
    }
    if (index < state.baselineSize()) {
      KnownDevice found =
          new KnownDevice(
              leaf.userId(), null, leaf.deviceId(), hash, index, MonitorState.PREEXISTING, false);
      devices.add(found);
      preexisting.add(found);
    } else if (alarms.stream().noneMatch(a -> a.index() == index)) {
      alarms.add(new Finding(index, leaf.deviceId(), hash, entry.timestamp()));
    }
  }

  private static boolean matches(KnownDevice known, String userId, String deviceId, String hash) {
    return known.userId().equals(userId)
        && known.deviceId().equals(deviceId)
        && known.certificateSha384().equals(hash);
  }

  /** The device's issue entry is what it should be, and is in the signed tree. */
  private void requireLogged(KnownDevice device, TreeHead head, Map<Long, LogLeaf> scanned)
      throws TransparencyException, IOException, InterruptedException, RedoubtApiException {
    long index = device.issuedLogIndex();
    if (index < 0 || index >= head.treeSize()) {
      throw new TransparencyException(
          "the certificate of device "
              + device.deviceId()
              + " is logged at "
              + index
              + ", beyond the signed tree of size "
              + head.treeSize());
    }
    LogLeaf leaf = scanned.get(index);
    boolean proven = leaf != null; // the scan's root check proved every scanned leaf included
    if (leaf == null) {
      List<LogEntryResponse> entry = log.entries(index, index + 1);
      if (entry == null || entry.size() != 1 || entry.get(0).index() != index) {
        throw new TransparencyException("the server did not return log entry " + index);
      }
      leaf = LogEvidence.checkedLeaf(entry.get(0));
    }
    if (leaf.kind() != LeafKind.CERTIFICATE_ISSUED
        || !leaf.userId().equals(device.userId())
        || !leaf.deviceId().equals(device.deviceId())
        || !B64.encodeToString(leaf.certificateSha384()).equals(device.certificateSha384())) {
      throw new TransparencyException(
          "log entry "
              + index
              + " does not record the issue of the certificate this profile relies on for device "
              + device.deviceId());
    }
    if (!proven) {
      LogEvidence.requireIncluded(leaf, index, head, log.inclusionProof(index, head.treeSize()));
    }
  }

  /**
   * The outcome of {@link #verify}.
   *
   * @param state the state to save (also when there are alarms: they are kept in it)
   * @param previousSize the size of the head the profile had seen before (0 for none)
   * @param treeSize the size of the newest signed head, now the profile's
   * @param scannedFrom the first entry this run read (it read through {@code treeSize - 1})
   * @param inclusionChecked how many relied-on certificates were checked in the tree
   * @param preexisting own devices logged before the profile's first contact, found this run
   * @param revoked relied-on certificates whose revocation this run found in the log
   */
  public record Report(
      MonitorState state,
      long previousSize,
      long treeSize,
      long scannedFrom,
      int inclusionChecked,
      List<KnownDevice> preexisting,
      List<KnownDevice> revoked) {

    /** The open alarms: certificates under the profile's user it did not enroll. */
    public List<Finding> alarms() {
      return state.alarms();
    }
  }
}
