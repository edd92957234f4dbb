package io.redoubt.web.directory;

import io.redoubt.devices.Device;
import io.redoubt.keys.OrganisationCa;
import io.redoubt.prekeys.ClaimedPrekey;
import io.redoubt.prekeys.PrekeyStore;
import io.redoubt.protocol.api.DirectoryResponse.DirectoryDevice;
import io.redoubt.protocol.api.PublishedPrekey;
import io.redoubt.protocol.api.TreeHeadResponse;
import io.redoubt.transparency.InvalidLogRangeException;
import io.redoubt.transparency.LogEntry;
import io.redoubt.transparency.SignedTreeHead;
import io.redoubt.transparency.TransparencyLog;
import io.redoubt.transparency.TreeHeadNotYetSignedException;
import io.redoubt.transparency.TreeHeads;
import io.redoubt.transparency.TreeSizeBeyondLogException;
import io.redoubt.web.Pem;
import io.redoubt.web.transparency.TransparencyViews;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Devices as others look them up: each certificate (with the CA chain) and its inclusion proof
 * against one signed tree head that covers them all, the log entry it is proof of, and, when a
 * sender is about to seal, a claimed prekey. One place for the directory lookup, the prekey-bundle
 * claim and a conversation's recipients.
 */
@ApplicationScoped
public class DeviceListings {

  @EJB PrekeyStore prekeys;
  @EJB TransparencyLog log;
  @EJB TreeHeads heads;
  @EJB OrganisationCa ca;

  /**
   * The listing of {@code devices}, in their order, with one tree head covering every issue leaf.
   *
   * @param claim whether to claim a prekey per device (in the caller's transaction)
   * @throws TreeHeadNotYetSignedException when no head covers the newest device yet
   */
  public Listing list(Collection<Device> devices, boolean claim)
      throws TreeHeadNotYetSignedException,
          InterruptedException,
          InvalidLogRangeException,
          TreeSizeBeyondLogException,
          CertificateEncodingException {
    long newestLeaf = devices.stream().mapToLong(Device::issuedLeaf).max().orElse(0);
    Optional<SignedTreeHead> covering = heads.awaitCovering(newestLeaf, TreeHeads.MAX_WAIT);
    if (covering.isEmpty() && !devices.isEmpty()) {
      throw new TreeHeadNotYetSignedException(
          "No signed tree head covers the newest of these devices yet.");
    }
    SignedTreeHead head = covering.orElse(null);
    String caChain = Pem.chain(ca.certificateChain());
    List<Long> issued = devices.stream().map(Device::issuedLeaf).toList();
    // Each device's issue leaf rides along (one query for all), so that a client verifying a
    // large group's devices makes no log request per device; the proofs too are read at once.
    Map<Long, LogEntry> leaves = log.entriesAt(issued);
    Map<Long, List<byte[]>> proofs =
        head == null ? Map.of() : log.inclusionProofs(issued, head.treeHead().treeSize());
    Map<String, ClaimedPrekey> claimed = claim ? prekeys.claimAll(List.copyOf(devices)) : Map.of();
    List<DirectoryDevice> listed = new ArrayList<>(devices.size());
    for (Device device : devices) {
      PublishedPrekey prekey = null;
      boolean oneTime = false;
      ClaimedPrekey its = claimed.get(device.deviceId());
      if (its != null) {
        prekey = PublishedPrekey.of(its.prekey());
        oneTime = its.oneTime();
      }
      listed.add(
          new DirectoryDevice(
              device.deviceId(),
              Pem.certificate(device.certificateDer()) + caChain,
              device.issuedLeaf(),
              TransparencyViews.hashes(proofs.get(device.issuedLeaf())),
              prekey,
              oneTime,
              Optional.ofNullable(leaves.get(device.issuedLeaf()))
                  .map(TransparencyViews::entry)
                  .orElse(null)));
    }
    return new Listing(head == null ? null : TransparencyViews.treeHead(head), listed);
  }

  /**
   * Listed devices and the head their proofs are against (null when there are no devices and no
   * head yet).
   */
  public record Listing(TreeHeadResponse treeHead, List<DirectoryDevice> devices) {}
}
