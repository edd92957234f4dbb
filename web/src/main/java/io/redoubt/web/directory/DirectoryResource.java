package io.redoubt.web.directory;

import io.redoubt.devices.Device;
import io.redoubt.devices.DeviceRegistry;
import io.redoubt.directory.Directory;
import io.redoubt.directory.DirectoryUser;
import io.redoubt.directory.UnknownUserException;
import io.redoubt.keys.OrganisationCa;
import io.redoubt.prekeys.ClaimedPrekey;
import io.redoubt.prekeys.PrekeyStore;
import io.redoubt.protocol.api.DirectoryResponse;
import io.redoubt.protocol.api.DirectoryResponse.DirectoryDevice;
import io.redoubt.protocol.api.PublishedPrekey;
import io.redoubt.transparency.InvalidLogRangeException;
import io.redoubt.transparency.SignedTreeHead;
import io.redoubt.transparency.TransparencyLog;
import io.redoubt.transparency.TreeHeadNotYetSignedException;
import io.redoubt.transparency.TreeHeads;
import io.redoubt.transparency.TreeSizeBeyondLogException;
import io.redoubt.web.Pem;
import io.redoubt.web.Roles;
import io.redoubt.web.transparency.TransparencyViews;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/v1/directory/{username}}: any member of the organisation looks up a colleague's
 * active devices, with the proofs a client needs to trust them without trusting this server.
 */
@Path("directory/{username}")
@RequestScoped
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class DirectoryResource {

  @EJB Directory directory;
  @EJB DeviceRegistry devices;
  @EJB PrekeyStore prekeys;
  @EJB TransparencyLog log;
  @EJB TreeHeads heads;
  @EJB OrganisationCa ca;

  @PathParam("username")
  String username;

  /** The user's active devices, each with its inclusion proof; no prekeys. */
  @GET
  @Path("devices")
  public DirectoryResponse devices()
      throws UnknownUserException,
          TreeHeadNotYetSignedException,
          InterruptedException,
          InvalidLogRangeException,
          TreeSizeBeyondLogException,
          CertificateEncodingException {
    DirectoryUser user = user();
    return answer(user, devices.activeDevicesOf(user.userId()), false);
  }

  /**
   * Claims one prekey per active device (a one-time prekey, removed by this claim, or else the
   * signed prekey) for a sender about to seal a first message. All claims commit together.
   */
  @POST
  @Path("prekey-bundles")
  @Transactional
  public DirectoryResponse claimPrekeyBundles()
      throws UnknownUserException,
          TreeHeadNotYetSignedException,
          InterruptedException,
          InvalidLogRangeException,
          TreeSizeBeyondLogException,
          CertificateEncodingException {
    DirectoryUser user = user();
    return answer(user, devices.activeDevicesOf(user.userId()), true);
  }

  private DirectoryUser user() throws UnknownUserException {
    if (username == null || username.isBlank() || username.length() > 255) {
      throw new UnknownUserException("no user " + username);
    }
    return directory
        .byUsername(username)
        .orElseThrow(() -> new UnknownUserException("no user " + username + " has a device"));
  }

  private DirectoryResponse answer(DirectoryUser user, List<Device> active, boolean claim)
      throws TreeHeadNotYetSignedException,
          InterruptedException,
          InvalidLogRangeException,
          TreeSizeBeyondLogException,
          CertificateEncodingException {
    long newestLeaf = active.stream().mapToLong(Device::issuedLeaf).max().orElse(0);
    Optional<SignedTreeHead> covering = heads.awaitCovering(newestLeaf, TreeHeads.MAX_WAIT);
    if (covering.isEmpty() && !active.isEmpty()) {
      throw new TreeHeadNotYetSignedException(
          "No signed tree head covers this user's newest device yet.");
    }
    SignedTreeHead head = covering.orElse(null);
    String caChain = Pem.chain(ca.certificateChain());
    List<DirectoryDevice> listed = new ArrayList<>(active.size());
    for (Device device : active) {
      long size = head.treeHead().treeSize();
      PublishedPrekey prekey = null;
      boolean oneTime = false;
      if (claim) {
        Optional<ClaimedPrekey> claimed = prekeys.claim(device);
        if (claimed.isPresent()) {
          prekey = PublishedPrekey.of(claimed.get().prekey());
          oneTime = claimed.get().oneTime();
        }
      }
      listed.add(
          new DirectoryDevice(
              device.deviceId(),
              Pem.certificate(device.certificateDer()) + caChain,
              device.issuedLeaf(),
              TransparencyViews.hashes(log.inclusionProof(device.issuedLeaf(), size)),
              prekey,
              oneTime));
    }
    return new DirectoryResponse(
        user.userId(),
        user.username(),
        head == null ? null : TransparencyViews.treeHead(head),
        listed);
  }
}
