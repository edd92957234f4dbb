package io.redoubt.web.devices;

import io.redoubt.devices.Device;
import io.redoubt.devices.DeviceEnrollment;
import io.redoubt.devices.DeviceIdTakenException;
import io.redoubt.devices.DeviceLimitReachedException;
import io.redoubt.devices.DeviceRegistry;
import io.redoubt.devices.Enrollment;
import io.redoubt.devices.InvalidCertificationRequestException;
import io.redoubt.devices.UnknownDeviceException;
import io.redoubt.prekeys.PrekeyStockFullException;
import io.redoubt.protocol.api.DeviceResponse;
import io.redoubt.protocol.api.EnrollmentRequest;
import io.redoubt.protocol.api.EnrollmentResponse;
import io.redoubt.protocol.api.InclusionProofResponse;
import io.redoubt.protocol.api.TreeHeadResponse;
import io.redoubt.protocol.prekeys.InvalidPrekeyException;
import io.redoubt.protocol.prekeys.SignedPrekey;
import io.redoubt.transparency.InvalidLogRangeException;
import io.redoubt.transparency.SignedTreeHead;
import io.redoubt.transparency.TransparencyLog;
import io.redoubt.transparency.TreeHeads;
import io.redoubt.transparency.TreeSizeBeyondLogException;
import io.redoubt.web.Pem;
import io.redoubt.web.Roles;
import io.redoubt.web.transparency.TransparencyViews;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code /api/v1/devices}: the caller's own devices. The identity always comes from the bearer
 * token; request bodies never name a user.
 */
@Path("devices")
@RequestScoped
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class DeviceResource {

  @EJB DeviceEnrollment enrollment;
  @EJB DeviceRegistry registry;
  @EJB TreeHeads heads;
  @EJB TransparencyLog log;
  @Inject JsonWebToken token;
  @Context SecurityContext security;
  @Context UriInfo uri;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response enroll(EnrollmentRequest request)
      throws InvalidCertificationRequestException,
          InvalidPrekeyException,
          PrekeyStockFullException,
          DeviceLimitReachedException,
          DeviceIdTakenException,
          GeneralSecurityException,
          InterruptedException,
          InvalidLogRangeException,
          TreeSizeBeyondLogException {
    if (request == null) {
      throw new InvalidCertificationRequestException("the request body is missing");
    }
    UUID deviceId = parseDeviceId(request.deviceId());
    String name = request.name() == null ? "" : request.name().strip();
    if (name.isEmpty() || name.length() > 100) {
      throw new InvalidCertificationRequestException("the device name must be 1 to 100 characters");
    }
    byte[] csr = decode(request.certificationRequest());
    if (request.signedPrekey() == null) {
      throw new InvalidPrekeyException("signedPrekey is missing");
    }
    SignedPrekey signedPrekey = request.signedPrekey().decode(deviceId);
    List<SignedPrekey> oneTimePrekeys = Prekeys.decode(request.oneTimePrekeys(), deviceId);
    Enrollment done =
        enrollment.enroll(
            token.getSubject(), token.getName(), deviceId, name, csr, signedPrekey, oneTimePrekeys);
    // The enrollment has committed; a proof that is not ready within the wait is left out rather
    // than failing a request whose effect already happened (the client fetches it later).
    long leaf = done.logIndex();
    Optional<SignedTreeHead> head = heads.awaitCovering(leaf, TreeHeads.MAX_WAIT);
    TreeHeadResponse headView = head.map(TransparencyViews::treeHead).orElse(null);
    InclusionProofResponse proof = null;
    if (head.isPresent()) {
      long size = head.get().treeHead().treeSize();
      proof = TransparencyViews.inclusionProof(leaf, size, log.inclusionProof(leaf, size));
    }
    return Response.created(uri.getAbsolutePathBuilder().path(done.device().deviceId()).build())
        .entity(
            new EnrollmentResponse(view(done.device(), Pem.chain(done.chain())), headView, proof))
        .build();
  }

  @GET
  public List<DeviceResponse> list() {
    return registry.devicesOf(token.getSubject()).stream()
        .map(device -> view(device, Pem.certificate(device.certificateDer())))
        .toList();
  }

  @DELETE
  @Path("{deviceId}")
  public DeviceResponse revoke(@PathParam("deviceId") String deviceId)
      throws UnknownDeviceException {
    UUID id;
    try {
      id = UUID.fromString(deviceId);
    } catch (IllegalArgumentException notAUuid) {
      throw new UnknownDeviceException("no device " + deviceId + " of yours");
    }
    Device device = registry.revoke(id, token.getSubject(), security.isUserInRole(Roles.ADMIN));
    return view(device, Pem.certificate(device.certificateDer()));
  }

  private static UUID parseDeviceId(String value) throws InvalidCertificationRequestException {
    try {
      return UUID.fromString(String.valueOf(value));
    } catch (IllegalArgumentException e) {
      throw new InvalidCertificationRequestException("deviceId must be a UUID");
    }
  }

  private static byte[] decode(String base64url) throws InvalidCertificationRequestException {
    if (base64url == null || base64url.isEmpty()) {
      throw new InvalidCertificationRequestException("certificationRequest is missing");
    }
    try {
      return Base64.getUrlDecoder().decode(base64url);
    } catch (IllegalArgumentException e) {
      throw new InvalidCertificationRequestException("certificationRequest is not base64url");
    }
  }

  private static DeviceResponse view(Device device, String pem) {
    return new DeviceResponse(
        device.deviceId(),
        device.name(),
        device.status().name(),
        device.enrolledAt().toString(),
        device.revokedAt() == null ? null : device.revokedAt().toString(),
        pem,
        device.issuedLeaf(),
        device.revokedLeaf());
  }
}
