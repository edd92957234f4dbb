package io.redoubt.web.messaging;

import io.redoubt.messaging.BlobQuotaExceededException;
import io.redoubt.messaging.BlobStore;
import io.redoubt.messaging.BlobTooLargeException;
import io.redoubt.messaging.StoredBlob;
import io.redoubt.messaging.UnknownBlobException;
import io.redoubt.protocol.api.BlobResponse;
import io.redoubt.web.Roles;
import io.redoubt.web.errors.OwnBodyLimit;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Base64;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code /api/v1/blobs}: encrypted attachments. A proved device uploads ciphertext as a stream
 * (never whole in memory, the size limit enforced while it arrives); members of a conversation with
 * an envelope that refers to the blob, and its uploader, download it. Uploads count against the
 * user's quota ({@code blob-quota-exceeded}). Anyone else gets 404, exactly as for an id that does
 * not exist.
 */
@Path("blobs")
@RequestScoped
@RolesAllowed({Roles.USER, Roles.ADMIN})
@DeviceProofRequired
public class BlobResource {

  @EJB BlobStore blobs;
  @Inject ProvedDevice proved;
  @Inject JsonWebToken token;

  /**
   * Stores the body as a new blob: 201 with its id, size and SHA-384; 413 {@code blob-too-large} or
   * {@code blob-quota-exceeded} when it passes the blob limit or the user's quota.
   */
  @POST
  @OwnBodyLimit
  @Consumes(MediaType.APPLICATION_OCTET_STREAM)
  @Produces(MediaType.APPLICATION_JSON)
  public Response upload(
      InputStream body, @HeaderParam(HttpHeaders.CONTENT_LENGTH) @DefaultValue("-1") long length)
      throws BlobTooLargeException, BlobQuotaExceededException, IOException {
    StoredBlob blob = blobs.upload(body, length, token.getSubject(), proved.get());
    return Response.created(URI.create("blobs/" + blob.blobId()))
        .entity(
            new BlobResponse(
                blob.blobId(),
                blob.size(),
                Base64.getUrlEncoder().withoutPadding().encodeToString(blob.sha384())))
        .build();
  }

  /** The blob's bytes, streamed. */
  @GET
  @Path("{blobId}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  public Response download(@PathParam("blobId") String blobId)
      throws UnknownBlobException, IOException {
    BlobStore.Download download = blobs.open(canonical(blobId), token.getSubject());
    StreamingOutput bytes =
        out -> {
          try (InputStream in = download.bytes()) {
            in.transferTo(out);
          }
        };
    return Response.ok(bytes, MediaType.APPLICATION_OCTET_STREAM_TYPE)
        .header(HttpHeaders.CONTENT_LENGTH, download.blob().size())
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .build();
  }

  /** An id that is not a canonical UUID names no blob: the same 404 as any unknown one. */
  private static String canonical(String blobId) throws UnknownBlobException {
    try {
      if (UUID.fromString(blobId).toString().equals(blobId)) {
        return blobId;
      }
    } catch (IllegalArgumentException notAUuid) {
      // falls through to the 404
    }
    throw new UnknownBlobException("with that id");
  }
}
