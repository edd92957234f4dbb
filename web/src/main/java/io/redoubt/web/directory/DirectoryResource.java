package io.redoubt.web.directory;

import io.redoubt.devices.Device;
import io.redoubt.devices.DeviceRegistry;
import io.redoubt.directory.Directory;
import io.redoubt.directory.DirectoryUser;
import io.redoubt.directory.UnknownUserException;
import io.redoubt.protocol.api.DirectoryResponse;
import io.redoubt.transparency.InvalidLogRangeException;
import io.redoubt.transparency.TreeHeadNotYetSignedException;
import io.redoubt.transparency.TreeSizeBeyondLogException;
import io.redoubt.web.Roles;
import io.redoubt.web.messaging.RateLimitedException;
import io.redoubt.web.messaging.RateLimits;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.security.cert.CertificateEncodingException;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

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
  @Inject DeviceListings listings;
  @Inject RateLimits limits;
  @Inject JsonWebToken token;

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
          CertificateEncodingException,
          RateLimitedException {
    // No device proof here: the caller's user pays, one request at a time.
    limits.take(RateLimits.Action.CLAIM, token.getSubject(), 1);
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
    DeviceListings.Listing listing = listings.list(active, claim);
    return new DirectoryResponse(
        user.userId(), user.username(), listing.treeHead(), listing.devices());
  }
}
