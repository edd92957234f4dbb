package io.redoubt.web.directory;

import io.redoubt.devices.Device;
import io.redoubt.devices.DeviceRegistry;
import io.redoubt.devices.UnknownDeviceException;
import io.redoubt.directory.Directory;
import io.redoubt.directory.DirectoryUser;
import io.redoubt.protocol.api.DirectoryResponse;
import io.redoubt.transparency.InvalidLogRangeException;
import io.redoubt.transparency.TreeHeadNotYetSignedException;
import io.redoubt.transparency.TreeSizeBeyondLogException;
import io.redoubt.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.security.cert.CertificateEncodingException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/v1/directory/devices/{deviceId}}: one device's certificate and inclusion proof,
 * active or revoked, for a recipient checking who sent a message. A revoked device is listed too:
 * the client learns of the revocation from the CA's revocation list, which it checks anyway, and
 * would otherwise be unable to tell "revoked" from "hidden by the server".
 */
@Path("directory/devices/{deviceId}")
@RequestScoped
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class DeviceLookupResource {

  @EJB DeviceRegistry devices;
  @EJB Directory directory;
  @Inject DeviceListings listings;

  @PathParam("deviceId")
  String deviceId;

  /** The device with its owner, certificate chain and inclusion proof. */
  @GET
  public DirectoryResponse device()
      throws UnknownDeviceException,
          TreeHeadNotYetSignedException,
          InterruptedException,
          InvalidLogRangeException,
          TreeSizeBeyondLogException,
          CertificateEncodingException {
    Device device = devices.find(parse()).orElseThrow(this::unknown);
    Map<String, DirectoryUser> owner = directory.byUserIds(List.of(device.userId()));
    DeviceListings.Listing listing = listings.list(List.of(device), false);
    return new DirectoryResponse(
        device.userId(),
        owner.containsKey(device.userId()) ? owner.get(device.userId()).username() : null,
        listing.treeHead(),
        listing.devices());
  }

  private UUID parse() throws UnknownDeviceException {
    try {
      UUID id = UUID.fromString(deviceId);
      if (id.toString().equals(deviceId)) {
        return id;
      }
    } catch (IllegalArgumentException notAUuid) {
      // the same 404 as an unknown id
    }
    throw unknown();
  }

  private UnknownDeviceException unknown() {
    return new UnknownDeviceException("no such device");
  }
}
