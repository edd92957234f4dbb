package io.redoubt.client.transparency;

import io.redoubt.protocol.api.TreeHeadResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one profile remembers of the transparency log between runs (stored as JSON in the profile).
 *
 * <p>Invariants: {@code lastHead} is the largest signed head this profile has verified, and every
 * head it verified since is consistent with it; it never moves backwards. {@code frontier} is the
 * {@link io.redoubt.protocol.merkle.CompactRange} of leaves [0, {@code scannedSize}), every one of
 * which this profile read and checked, and its root equalled a signed root when it was saved.
 * {@code alarms} stay until acknowledged, however far the scan moves on.
 *
 * @param userId the profile's own user (the identity provider's subject), as in log leaves
 * @param baselineSize the log size when the profile first met the server (sign-in): the profile's
 *     own user's certificates logged before this are listed once for review; those logged after are
 *     alarms unless this profile enrolled or acknowledged them
 * @param lastHead the newest signed head verified, as served (so its signature can be re-checked)
 * @param scannedSize how many leaves the scan has covered, from index 0
 * @param frontier the compact range of the scanned leaves, base64url hashes, largest subtree first
 * @param devices the certificates this profile relies on: its own, and peers' it accepted
 * @param alarms certificates under the profile's own user that it neither enrolled nor acknowledged
 */
public record MonitorState(
    String userId,
    long baselineSize,
    TreeHeadResponse lastHead,
    long scannedSize,
    List<String> frontier,
    List<KnownDevice> devices,
    List<Finding> alarms) {

  /** This profile enrolled the device. */
  public static final String ENROLLED = "enrolled";

  /** The person said the device is theirs (enrolled from another profile). */
  public static final String ACKNOWLEDGED = "acknowledged";

  /** The device was logged before the profile's first contact; listed once for review. */
  public static final String PREEXISTING = "preexisting";

  /** A peer's device, accepted by {@code lookup} after every check. */
  public static final String LOOKUP = "lookup";

  public MonitorState {
    Objects.requireNonNull(userId);
    frontier = frontier == null ? List.of() : List.copyOf(frontier);
    devices = devices == null ? List.of() : List.copyOf(devices);
    alarms = alarms == null ? List.of() : List.copyOf(alarms);
  }

  /**
   * A new profile's state, starting at the head it saw first ({@code null} when none was signed).
   */
  public static MonitorState start(String userId, TreeHeadResponse firstHead) {
    return new MonitorState(
        userId,
        firstHead == null ? 0 : firstHead.treeSize(),
        firstHead,
        0,
        List.of(),
        List.of(),
        List.of());
  }

  MonitorState withLastHead(TreeHeadResponse head) {
    return new MonitorState(userId, baselineSize, head, scannedSize, frontier, devices, alarms);
  }

  MonitorState withScan(
      long size, List<String> hashes, List<KnownDevice> known, List<Finding> open) {
    return new MonitorState(userId, baselineSize, lastHead, size, hashes, known, open);
  }

  /** This state with {@code device} relied on (replacing an entry for the same certificate). */
  public MonitorState withDevice(KnownDevice device) {
    return withDevices(List.of(device));
  }

  /**
   * This state with {@code added} relied on, each replacing an entry for the same certificate. One
   * pass over the known devices however many are added: a lookup of a large group adds hundreds.
   */
  public MonitorState withDevices(Collection<KnownDevice> added) {
    if (added.isEmpty()) {
      return this;
    }
    Set<KnownDevice.Certificate> replaced = new HashSet<>();
    for (KnownDevice device : added) {
      replaced.add(device.certificate());
    }
    List<KnownDevice> updated = new ArrayList<>(devices.size() + added.size());
    for (KnownDevice known : devices) {
      if (!replaced.contains(known.certificate())) {
        updated.add(known);
      }
    }
    updated.addAll(added);
    return new MonitorState(userId, baselineSize, lastHead, scannedSize, frontier, updated, alarms);
  }

  /** The certificates this state relies on, for membership tests. */
  public Set<KnownDevice.Certificate> reliedCertificates() {
    Set<KnownDevice.Certificate> relied = new HashSet<>();
    for (KnownDevice known : devices) {
      relied.add(known.certificate());
    }
    return relied;
  }

  /**
   * This state with the alarms for {@code deviceId} turned into acknowledged own devices; the same
   * state when no alarm names it.
   */
  public MonitorState acknowledge(String deviceId) {
    List<Finding> open = new ArrayList<>();
    MonitorState result = this;
    for (Finding alarm : alarms) {
      if (alarm.deviceId().equals(deviceId)) {
        result =
            result.withDevice(
                new KnownDevice(
                    userId,
                    null,
                    alarm.deviceId(),
                    alarm.certificateSha384(),
                    alarm.index(),
                    ACKNOWLEDGED,
                    false));
      } else {
        open.add(alarm);
      }
    }
    return new MonitorState(
        userId, baselineSize, lastHead, scannedSize, frontier, result.devices, open);
  }

  /**
   * A certificate the profile relies on.
   *
   * @param username the owner's login name when known (peers), else null
   * @param certificateSha384 base64url SHA-384 of the DER certificate, as in log entries
   * @param origin {@link #ENROLLED}, {@link #ACKNOWLEDGED}, {@link #PREEXISTING} or {@link #LOOKUP}
   * @param revoked whether the scan saw its revocation in the log
   */
  public record KnownDevice(
      String userId,
      String username,
      String deviceId,
      String certificateSha384,
      long issuedLogIndex,
      String origin,
      boolean revoked) {

    /** Which certificate this is: two entries for the same one replace each other. */
    public Certificate certificate() {
      return new Certificate(userId, deviceId, certificateSha384);
    }

    /** A certificate as the log names it: user, device and the certificate's SHA-384. */
    public record Certificate(String userId, String deviceId, String certificateSha384) {}

    /** Whether this is one of the profile's own user's devices that the person vouched for. */
    boolean vouchedFor() {
      return !LOOKUP.equals(origin);
    }

    KnownDevice asRevoked() {
      return new KnownDevice(
          userId, username, deviceId, certificateSha384, issuedLogIndex, origin, true);
    }
  }

  /**
   * A certificate-issued entry under the profile's own user that the profile did not enroll.
   *
   * @param certificateSha384 base64url, as in the log entry
   * @param timestamp when the server logged it, epoch milliseconds
   */
  public record Finding(long index, String deviceId, String certificateSha384, long timestamp) {}
}
