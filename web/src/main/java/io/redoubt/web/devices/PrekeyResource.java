package io.redoubt.web.devices;

import io.redoubt.devices.UnknownDeviceException;
import io.redoubt.prekeys.PrekeySettings;
import io.redoubt.prekeys.PrekeyStockFullException;
import io.redoubt.prekeys.PrekeyStore;
import io.redoubt.protocol.api.PrekeyStatusResponse;
import io.redoubt.protocol.api.PrekeyUploadRequest;
import io.redoubt.protocol.api.PublishedPrekey;
import io.redoubt.protocol.prekeys.InvalidPrekeyException;
import io.redoubt.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code /api/v1/devices/{deviceId}/prekeys}: the caller's own device's prekey stock. Another
 * user's device, or a revoked one, does not exist here (404).
 */
@Path("devices/{deviceId}/prekeys")
@RequestScoped
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class PrekeyResource {

  @EJB PrekeyStore prekeys;
  @Inject PrekeySettings settings;
  @Inject JsonWebToken token;

  @PathParam("deviceId")
  String deviceId;

  /** How many one-time prekeys remain, and the signed prekey's expiry. */
  @GET
  public PrekeyStatusResponse status() throws UnknownDeviceException {
    return view(prekeys.status(device(), token.getSubject()));
  }

  /** Adds at most 100 one-time prekeys, each signed by the device's identity key. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public PrekeyStatusResponse upload(PrekeyUploadRequest request)
      throws UnknownDeviceException, InvalidPrekeyException, PrekeyStockFullException {
    UUID id = device();
    if (request == null || request.oneTimePrekeys() == null) {
      throw new InvalidPrekeyException("oneTimePrekeys is missing");
    }
    return view(
        prekeys.upload(id, token.getSubject(), Prekeys.decode(request.oneTimePrekeys(), id)));
  }

  /** Rotates the signed prekey. */
  @PUT
  @Path("signed")
  @Consumes(MediaType.APPLICATION_JSON)
  public PrekeyStatusResponse rotateSigned(PublishedPrekey prekey)
      throws UnknownDeviceException, InvalidPrekeyException {
    UUID id = device();
    if (prekey == null) {
      throw new InvalidPrekeyException("the signed prekey is missing");
    }
    return view(prekeys.rotateSigned(id, token.getSubject(), prekey.decode(id)));
  }

  private UUID device() throws UnknownDeviceException {
    try {
      return UUID.fromString(deviceId);
    } catch (IllegalArgumentException notAUuid) {
      throw new UnknownDeviceException("no device " + deviceId + " of yours");
    }
  }

  private PrekeyStatusResponse view(io.redoubt.prekeys.PrekeyStatus status) {
    return Prekeys.view(status, settings.replenishBelow());
  }
}
