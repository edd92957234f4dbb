package io.redoubt.client.directory;

import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.transparency.LogMonitor;
import io.redoubt.client.transparency.MonitorState;
import io.redoubt.client.transparency.SignedHeads;
import io.redoubt.client.transparency.TransparencyException;
import io.redoubt.client.trust.RevocationCheck;
import io.redoubt.protocol.api.DirectoryResponse;
import io.redoubt.protocol.transparency.TreeHead;
import java.io.IOException;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;

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
    TreeHead head = SignedHeads.verify(answer.treeHead(), logKey);
    MonitorState next = monitor.observe(state, answer.treeHead());
    List<VerifiedDevice> accepted = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    for (DirectoryResponse.DirectoryDevice device : answer.devices()) {
      try {
        VerifiedDevice verified =
            verifier.verify(
                answer.userId(),
                device.deviceId(),
                device.certificatePem(),
                device.issuedLogIndex(),
                device.inclusionProof(),
                head);
        requireNotRevoked(verified, revocations);
        accepted.add(verified);
        next =
            next.withDevice(
                new MonitorState.KnownDevice(
                    answer.userId(),
                    username,
                    verified.deviceId(),
                    verified.certificateSha384(),
                    verified.issuedLogIndex(),
                    MonitorState.LOOKUP,
                    false));
      } catch (DeviceRejectedException e) {
        rejected.add(new Rejected(device.deviceId(), e.getMessage()));
      }
    }
    return new Lookup(next, answer.userId(), username, head.treeSize(), accepted, rejected);
  }

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
