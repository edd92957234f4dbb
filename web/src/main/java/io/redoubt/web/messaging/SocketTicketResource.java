package io.redoubt.web.messaging;

import io.redoubt.devices.UnknownDeviceException;
import io.redoubt.protocol.api.SocketTicketResponse;
import io.redoubt.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** {@code /api/v1/devices/{deviceId}/socket-tickets}: a ticket to open the device's socket. */
@Path("devices/{deviceId}/socket-tickets")
@RequestScoped
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@DeviceProofRequired
public class SocketTicketResource {

  @Inject SocketTickets tickets;
  @Inject ProvedDevice proved;
  @Inject JsonWebToken token;

  @PathParam("deviceId")
  String deviceId;

  /** A single-use ticket, good for 30 seconds, for the proved device only. */
  @POST
  public SocketTicketResponse issue() throws UnknownDeviceException {
    String provedId = proved.get().deviceId();
    if (!provedId.equals(deviceId)) {
      throw new UnknownDeviceException("no device " + deviceId + " proved this request");
    }
    Instant tokenExpiry = Instant.ofEpochSecond(token.getExpirationTime());
    String ticket = tickets.issue(token.getSubject(), provedId, tokenExpiry);
    return new SocketTicketResponse(ticket, Instant.now().plus(SocketTickets.LIFETIME).toString());
  }
}
