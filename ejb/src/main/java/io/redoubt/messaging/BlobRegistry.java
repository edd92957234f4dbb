package io.redoubt.messaging;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The blobs' records and the envelopes that refer to them: who may reference a blob (its uploader,
 * while it is claimable or referenced), who may read it (its uploader and the members of a
 * conversation with an envelope that refers to it), and which blobs are released.
 *
 * <p>Locking: whoever adds a reference or deletes a blob holds the blob row for update, in blob id
 * order; a reference can therefore never be added to a blob that a sweep is deleting, and the
 * foreign key stops a referenced blob from being deleted at all.
 */
@Stateless
public class BlobRegistry {

  /** Blobs deleted per sweep transaction. */
  static final int SWEEP_BATCH = 500;

  private static final String RELEASED =
      "SELECT b.blob_id FROM attachment_blob b WHERE NOT EXISTS"
          + " (SELECT 1 FROM attachment_reference r WHERE r.blob_id = b.blob_id)"
          + " AND (b.referenced_at IS NOT NULL OR b.claim_by <= :now)";

  @PersistenceContext(unitName = "redoubt")
  EntityManager em;

  /**
   * Records a blob whose file is in place, if it fits the uploader's quota. The check and the
   * insert run under the uploader's row lock in {@code attachment_uploader}, held until this
   * transaction ends: two uploads of one user are checked one after the other, each seeing what the
   * other committed, so together they cannot pass the quota.
   *
   * @param allowance the uploader's quota in bytes
   * @throws BlobQuotaExceededException when the blob does not fit; nothing was recorded
   */
  public StoredBlob register(
      @NotBlank String blobId,
      @NotBlank String uploaderUserId,
      @NotBlank String uploaderDeviceId,
      long size,
      @NotNull byte[] sha384,
      @NotNull Instant now,
      @NotNull Instant claimBy,
      long allowance)
      throws BlobQuotaExceededException {
    // An upsert that always writes: it takes the row's exclusive lock whether the row is new or
    // not (a plain SELECT ... FOR UPDATE cannot lock a row that does not exist yet).
    em.createNativeQuery(
            "INSERT INTO attachment_uploader (user_id, last_upload_at) VALUES (:user, :at)"
                + " ON DUPLICATE KEY UPDATE last_upload_at = :at")
        .setParameter("user", uploaderUserId)
        .setParameter("at", now)
        .executeUpdate();
    BlobQuota quota = new BlobQuota(allowance, usage(uploaderUserId));
    if (!quota.admits(size)) {
      throw quota.exceeded();
    }
    StoredBlob blob =
        new StoredBlob(blobId, uploaderUserId, uploaderDeviceId, size, sha384, now, claimBy);
    em.persist(blob);
    return blob;
  }

  /**
   * What {@code userId}'s blob records add up to, in bytes: referenced blobs and uploads still
   * waiting for a reference alike.
   */
  public long usage(@NotBlank String userId) {
    return ((Number)
            em.createNativeQuery(
                    "SELECT COALESCE(SUM(size_bytes), 0) FROM attachment_blob"
                        + " WHERE uploader_user_id = ?1")
                .setParameter(1, userId)
                .getSingleResult())
        .longValue();
  }

  /** Which of {@code blobIds} have a record (the orphan sweep keeps their files). */
  public Set<String> recordedAmong(@NotNull Collection<String> blobIds) {
    if (blobIds.isEmpty()) {
      return Set.of();
    }
    @SuppressWarnings("unchecked")
    List<String> recorded =
        em.createNativeQuery("SELECT blob_id FROM attachment_blob WHERE blob_id IN (:ids)")
            .setParameter("ids", blobIds)
            .getResultList();
    return new HashSet<>(recorded);
  }

  /**
   * The blob if {@code userId} may read it: its uploader, or a member of a referring conversation.
   */
  public Optional<StoredBlob> readable(@NotBlank String blobId, @NotBlank String userId) {
    List<?> allowed =
        em.createNativeQuery(
                "SELECT b.blob_id FROM attachment_blob b WHERE b.blob_id = ?1 AND"
                    + " (b.uploader_user_id = ?2 OR EXISTS (SELECT 1 FROM attachment_reference r"
                    + " JOIN conversation_member m ON m.conversation_id = r.conversation_id"
                    + " WHERE r.blob_id = b.blob_id AND m.user_id = ?2))")
            .setParameter(1, blobId)
            .setParameter(2, userId)
            .getResultList();
    return allowed.isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(em.find(StoredBlob.class, blobId));
  }

  /**
   * Checks that {@code callerId} may reference every blob in {@code blobIds} and holds them for
   * update until the caller's transaction ends, so that none is swept before {@link #reference}.
   *
   * @throws EnvelopeRejectedException naming the first blob that does not exist, is another's, or
   *     is no longer claimable (its grace period passed, or every envelope that referred to it is
   *     gone)
   */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public void holdForReference(
      @NotNull List<UUID> blobIds, @NotBlank String callerId, @NotNull Instant now)
      throws EnvelopeRejectedException {
    TreeSet<String> ids = new TreeSet<>();
    for (UUID id : blobIds) {
      if (!ids.add(id.toString())) {
        throw new EnvelopeRejectedException(
            EnvelopeRejectedException.Reason.MALFORMED, "Attachment " + id + " is listed twice.");
      }
    }
    for (String id : ids) { // in id order, as the sweep locks them
      StoredBlob blob = em.find(StoredBlob.class, id, LockModeType.PESSIMISTIC_WRITE);
      if (blob == null || !blob.uploaderUserId().equals(callerId)) {
        // Another's blob looks exactly like none: no oracle for ids.
        throw new EnvelopeRejectedException(
            EnvelopeRejectedException.Reason.ATTACHMENT, "Attachment " + id + " does not exist.");
      }
      boolean claimable =
          blob.referencedAt() == null ? blob.claimBy().isAfter(now) : referenceCount(id) > 0;
      if (!claimable) {
        throw new EnvelopeRejectedException(
            EnvelopeRejectedException.Reason.ATTACHMENT,
            "Attachment " + id + " has expired; upload it again.");
      }
    }
  }

  /** Records that envelope {@code messageId} refers to the blobs {@link #holdForReference} held. */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public void reference(
      @NotBlank String messageId,
      @NotBlank String conversationId,
      @NotNull List<UUID> blobIds,
      @NotNull Instant now) {
    for (UUID id : blobIds) {
      em.createNativeQuery(
              "INSERT INTO attachment_reference (blob_id, message_id, conversation_id)"
                  + " VALUES (?1, ?2, ?3)")
          .setParameter(1, id.toString())
          .setParameter(2, messageId)
          .setParameter(3, conversationId)
          .executeUpdate();
      em.find(StoredBlob.class, id.toString()).referenced(now);
    }
  }

  /**
   * Deletes up to {@value #SWEEP_BATCH} released blobs' records: those no envelope refers to any
   * more, and uploads never referenced within their grace period.
   *
   * @return the ids deleted, whose files the caller deletes once this transaction committed
   */
  public List<String> deleteReleased(@NotNull Instant now) {
    @SuppressWarnings("unchecked")
    List<String> candidates =
        em.createNativeQuery(RELEASED + " ORDER BY b.blob_id LIMIT " + SWEEP_BATCH)
            .setParameter("now", now)
            .getResultList();
    if (candidates.isEmpty()) {
      return List.of();
    }
    // Lock, then ask again: a send may have referenced one between the two statements (READ
    // COMMITTED: the second read sees what it committed).
    em.createNativeQuery(
            "SELECT blob_id FROM attachment_blob WHERE blob_id IN (:ids) ORDER BY blob_id FOR UPDATE")
        .setParameter("ids", candidates)
        .getResultList();
    @SuppressWarnings("unchecked")
    List<String> released =
        em.createNativeQuery(RELEASED + " AND b.blob_id IN (:ids)")
            .setParameter("now", now)
            .setParameter("ids", candidates)
            .getResultList();
    if (!released.isEmpty()) {
      em.createQuery("DELETE FROM StoredBlob b WHERE b.blobId IN :ids")
          .setParameter("ids", released)
          .executeUpdate();
    }
    return released;
  }

  private long referenceCount(String blobId) {
    return ((Number)
            em.createNativeQuery("SELECT COUNT(*) FROM attachment_reference WHERE blob_id = ?1")
                .setParameter(1, blobId)
                .getSingleResult())
        .longValue();
  }
}
