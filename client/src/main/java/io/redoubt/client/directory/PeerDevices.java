package io.redoubt.client.directory;

import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.transparency.LogMonitor;
import io.redoubt.client.transparency.MonitorState;
import io.redoubt.client.transparency.SignedHeads;
import io.redoubt.client.transparency.TransparencyException;
import io.redoubt.client.trust.RevocationCheck;
import io.redoubt.protocol.api.DirectoryResponse;
import io.redoubt.protocol.api.TreeHeadResponse;
import io.redoubt.protocol.transparency.TreeHead;
import java.io.IOException;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A peer's devices from a directory answer, each verified by {@link DeviceVerifier} against the
 * answer's signed tree head. The head itself must verify with the pinned log key and be consistent
 * with the newest head the profile saw; otherwise the whole answer is refused. Devices that fail
 * are rejected with their reason and never become relied on; the ones that pass are added to the
 * profile's transparency state so that {@code kt verify} keeps checking them.
 */
public final class PeerDevices {

  private final DeviceVerifier verifier;
  private final LogMonitor monitor;
  private final ECPublicKey logKey;

  public PeerDevices(DeviceVerifier verifier, LogMonitor monitor, ECPublicKey logKey) {
    this.verifier = verifier;
    this.monitor = monitor;
    this.logKey = logKey;
  }

  /**
   * Verifies {@code answer}, the directory's reply for {@code username}, and refuses any device on
   * the CA's revocation list: the server's own answer would leave a revoked device out, but a
   * client does not take the server's word for it.
   *
   * @param revocations the CA's revocation list, already verified ({@link RevocationCheck#verify})
   * @throws TransparencyException when the answer's head does not verify or is inconsistent with
   *     the profile's: nothing in the answer can be trusted then
   */
  public Lookup verify(
      MonitorState state,
      String username,
      DirectoryResponse answer,
      RevocationCheck.Verified revocations)
      throws TransparencyException, IOException, InterruptedException, RedoubtApiException {
    if (answer.username() == null || !answer.username().equals(username)) {
      throw new TransparencyException(
          "asked for " + username + "'s devices, the server answered for " + answer.username());
    }
    HeadCheck checked = verifyHead(state, answer.treeHead());
    return verifyDevices(
        checked.state(), checked.head(), answer.userId(), username, answer.devices(), revocations);
  }

  /**
   * Verifies a served tree head with the pinned log key and its consistency with the newest head
   * {@code state} saw.
   *
   * @throws TransparencyException when either fails: nothing proven against that head is trusted
   */
  public HeadCheck verifyHead(MonitorState state, TreeHeadResponse served)
      throws TransparencyException, IOException, InterruptedException, RedoubtApiException {
    if (served == null) {
      throw new TransparencyException("the answer carries no signed tree head");
    }
    TreeHead head = SignedHeads.verify(served, logKey);
    return new HeadCheck(monitor.observe(state, served), head);
  }

  /**
   * Verifies one user's devices against {@code head}, already checked by {@link #verifyHead}: each
   * device's certificate chain, names and log inclusion (with the log entry the answer carries,
   * else one fetched per device), and its absence from the CA's revocation list. Accepted devices
   * are added to the returned state.
   */
  public Lookup verifyDevices(
      MonitorState state,
      TreeHead head,
      String userId,
      String username,
      List<DirectoryResponse.DirectoryDevice> devices,
      RevocationCheck.Verified revocations)
      throws IOException, InterruptedException {
    Set<MonitorState.KnownDevice.Certificate> relied = state.reliedCertificates();
    List<MonitorState.KnownDevice> newlyRelied = new ArrayList<>();
    List<VerifiedDevice> accepted = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    for (DirectoryResponse.DirectoryDevice device :
        devices == null ? List.<DirectoryResponse.DirectoryDevice>of() : devices) {
      try {
        VerifiedDevice verified =
            verifier.verify(
                userId,
                device.deviceId(),
                device.certificatePem(),
                device.issuedLogIndex(),
                device.inclusionProof(),
                device.issuedLogEntry(),
                head);
        requireNotRevoked(verified, revocations);
        accepted.add(verified);
        MonitorState.KnownDevice known =
            new MonitorState.KnownDevice(
                userId,
                username,
                verified.deviceId(),
                verified.certificateSha384(),
                verified.issuedLogIndex(),
                MonitorState.LOOKUP,
                false);
        // Only new certificates are recorded: one this profile enrolled or vouched for keeps
        // that origin, so a lookup never turns an own device into a mere peer's.
        if (relied.add(known.certificate())) {
          newlyRelied.add(known);
        }
      } catch (DeviceRejectedException e) {
        rejected.add(new Rejected(device.deviceId(), e.getMessage()));
      }
    }
    return new Lookup(
        state.withDevices(newlyRelied), userId, username, head.treeSize(), accepted, rejected);
  }

  /** A head that verified: the state that now remembers it, and the head itself. */
  public record HeadCheck(MonitorState state, TreeHead head) {}

  private static void requireNotRevoked(VerifiedDevice device, RevocationCheck.Verified revocations)
      throws DeviceRejectedException {
    boolean revoked;
    try {
      revoked = revocations.isRevoked(device.certificate());
    } catch (IllegalArgumentException notThisCa) {
      throw new DeviceRejectedException(
          "the revocation list is not from the CA that issued the certificate");
    }
    if (revoked) {
      throw new DeviceRejectedException(
          "the certificate is revoked (on the CA's revocation list number "
              + revocations.number()
              + ")");
    }
  }

  /**
   * The outcome: the state to save, the devices that may be used, and those refused.
   *
   * @param treeSize the size of the signed head the devices were checked against
   */
  public record Lookup(
      MonitorState state,
      String userId,
      String username,
      long treeSize,
      List<VerifiedDevice> accepted,
      List<Rejected> rejected) {}

  /** A device refused, with the reason. */
  public record Rejected(String deviceId, String reason) {}
}
