package io.redoubt.web.messaging;

import io.redoubt.devices.UnknownDeviceException;
import io.redoubt.messaging.DeviceQueues;
import io.redoubt.protocol.api.AcknowledgementRequest;
import io.redoubt.protocol.api.QueueResponse;
import io.redoubt.web.Roles;
import io.redoubt.web.errors.BadInputException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Objects;

/**
 * {@code /api/v1/devices/{deviceId}/queue}: a device reads and acknowledges its own queue over
 * REST, for clients that cannot hold a socket. Only the device itself, proved, may: the path's
 * device must be the one that signed the request proof.
 */
@Path("devices/{deviceId}/queue")
@RequestScoped
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@DeviceProofRequired
public class QueueResource {

  /** Acknowledgements per request. */
  static final int MAX_ACKNOWLEDGEMENTS = 1000;

  @EJB DeviceQueues queues;
  @Inject Envelopes envelopes;
  @Inject CommitQueue commits;
  @Inject ProvedDevice proved;

  @PathParam("deviceId")
  String deviceId;

  private final Clock clock = Clock.systemUTC();

  /** The oldest unexpired items after {@code after}, at most {@code limit} (≤ 500). */
  @GET
  public QueueResponse page(
      @QueryParam("after") @DefaultValue("0") long after,
      @QueryParam("limit") @DefaultValue("100") int limit)
      throws UnknownDeviceException, BadInputException {
    String device = ownDevice();
    if (after < 0 || limit < 1 || limit > DeviceQueues.MAX_PAGE) {
      throw new BadInputException("after must be ≥ 0 and limit 1 to " + DeviceQueues.MAX_PAGE);
    }
    DeviceQueues.QueuePage page = queues.page(device, after, limit, clock.instant());
    return new QueueResponse(envelopes.items(page), page.more());
  }

  /**
   * Deletes the acknowledged items (unknown or others' sequence numbers are ignored), through the
   * node's group commit like every other acknowledgement, and answers once that committed.
   */
  @POST
  @Path("acknowledgements")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response acknowledge(AcknowledgementRequest request)
      throws UnknownDeviceException, BadInputException, ServerBusyException {
    String device = ownDevice();
    if (request == null
        || request.seqs() == null
        || request.seqs().size() > MAX_ACKNOWLEDGEMENTS
        || request.seqs().stream().anyMatch(Objects::isNull)) {
      throw new BadInputException(
          "seqs must be a list of at most " + MAX_ACKNOWLEDGEMENTS + " sequence numbers");
    }
    CommitQueue.awaitCommitted(commits.acknowledge(device, request.seqs()), "the acknowledgement");
    return Response.noContent().build();
  }

  private String ownDevice() throws UnknownDeviceException {
    String provedId = proved.get().deviceId();
    if (!provedId.equals(deviceId)) {
      throw new UnknownDeviceException("no device " + deviceId + " proved this request");
    }
    return provedId;
  }
}
