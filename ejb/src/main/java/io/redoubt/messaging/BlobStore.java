package io.redoubt.messaging;

import io.redoubt.devices.Device;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Attachment blobs: uploads streamed to the blob directory under the size limit, downloads for
 * those allowed, and the deletion of released blobs. No transaction is open while bytes flow (an
 * upload of 100 MiB over a slow link must not hold a database connection or hit the transaction
 * timeout); each step that touches the database runs in its own, in {@link BlobRegistry}.
 *
 * <p>Order of writes: the file is complete, forced to disk and in place before its record commits,
 * so that a record never names a missing file. A crash between the two leaves a file without a
 * record (wasted space, never a wrong answer), and a crash mid-upload a partial file in {@code
 * incoming/}; {@link #deleteOrphans} removes both once they are old enough that no upload can still
 * be about to record them.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BlobStore {

  private static final Logger LOG = Logger.getLogger(BlobStore.class.getName());

  @EJB BlobRegistry registry;
  @Inject BlobFiles files;
  @Inject MessagingSettings settings;

  /** Blob files looked up in the database at once by the orphan sweep. */
  static final int ORPHAN_BATCH = 500;

  private final Clock clock = Clock.systemUTC();

  /** A blob opened for reading. The caller closes {@code bytes}. */
  public record Download(StoredBlob blob, InputStream bytes) {}

  /**
   * Stores an upload from {@code device} of {@code callerId}, within the blob limit and the
   * caller's quota. The quota is checked three times: against the declared length before anything
   * is read, while the body streams (reading stops at what is left of the allowance), and, the
   * check that decides, when the record is written under the uploader's lock ({@link
   * BlobRegistry#register}); the first two only spare the server reading what would be refused.
   *
   * @param declaredLength the request's Content-Length, or -1 when it streams without one
   * @throws BlobTooLargeException when the declared length or the bytes read pass the limit;
   *     reading stopped there and nothing was kept
   * @throws BlobQuotaExceededException when the upload does not fit in what is left of the caller's
   *     quota; reading stopped or the file was deleted, and nothing was kept
   */
  public StoredBlob upload(
      @NotNull InputStream body,
      long declaredLength,
      @NotBlank String callerId,
      @NotNull Device device)
      throws BlobTooLargeException, BlobQuotaExceededException, IOException {
    long limit = settings.maxBlobBytes();
    if (declaredLength > limit) {
      throw new BlobTooLargeException(limit);
    }
    long allowance = settings.maxBlobBytesPerUser();
    BlobQuota quota = new BlobQuota(allowance, registry.usage(callerId));
    if (declaredLength >= 0 && !quota.admits(declaredLength)) {
      throw quota.exceeded();
    }
    long cap = Math.min(limit, quota.remaining());
    BlobFiles.Received received;
    try {
      received = files.receive(body, cap);
    } catch (BlobTooLargeException overCap) {
      // receive stops at the lower of the two bounds: name the one this upload ran into.
      if (cap < limit) {
        throw quota.exceeded();
      }
      throw overCap;
    }
    String blobId = UUID.randomUUID().toString();
    try {
      files.install(received, blobId);
    } catch (IOException | RuntimeException e) {
      files.discard(received);
      throw e;
    }
    try {
      Instant now = clock.instant();
      return registry.register(
          blobId,
          callerId,
          device.deviceId(),
          received.size(),
          received.sha384(),
          now,
          now.plus(settings.unclaimedBlobGrace()),
          allowance);
    } catch (BlobQuotaExceededException | RuntimeException e) {
      files.delete(blobId);
      throw e;
    }
  }

  /**
   * Opens a blob for {@code userId}.
   *
   * @throws UnknownBlobException when it does not exist or the caller may not read it
   */
  public Download open(@NotBlank String blobId, @NotBlank String userId)
      throws UnknownBlobException, IOException {
    StoredBlob blob =
        registry.readable(blobId, userId).orElseThrow(() -> new UnknownBlobException(blobId));
    try {
      return new Download(blob, files.open(blobId));
    } catch (java.nio.file.NoSuchFileException swept) {
      // Swept between the check and the open: gone, as for anyone else.
      throw new UnknownBlobException(blobId);
    }
  }

  /**
   * Deletes released blobs, records first and then (after that commit) files.
   *
   * @return how many were deleted
   */
  public int deleteReleased() {
    Instant now = clock.instant();
    int deleted = 0;
    List<String> batch;
    do {
      batch = registry.deleteReleased(now);
      for (String blobId : batch) {
        try {
          files.delete(blobId);
        } catch (IOException e) {
          LOG.log(Level.WARNING, "could not delete the file of blob " + blobId, e);
        }
      }
      deleted += batch.size();
    } while (batch.size() == BlobRegistry.SWEEP_BATCH);
    return deleted;
  }

  /**
   * Deletes files in the blob directory that no record names and that are older than {@link
   * OrphanFiles#cutoff}, and partial uploads as old, reading the directory in batches of {@value
   * #ORPHAN_BATCH} names and asking the database about each batch in a transaction of its own.
   */
  public BlobFiles.OrphanSweep deleteOrphans() throws IOException {
    Instant cutoff = OrphanFiles.cutoff(clock.instant(), settings.unclaimedBlobGrace());
    return files.deleteOrphans(cutoff, ORPHAN_BATCH, registry::recordedAmong);
  }
}
