package io.redoubt.messaging;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An uploaded attachment blob's record; its bytes are a file in the blob directory ({@link
 * BlobFiles}). Ciphertext only: the key and the plaintext's name never reach the server.
 */
@Entity
@Table(name = "attachment_blob")
public class StoredBlob {

  @Id
  @Column(name = "blob_id", length = 36)
  private String blobId;

  @Column(name = "uploader_user_id", nullable = false, updatable = false)
  private String uploaderUserId;

  @Column(name = "uploader_device_id", nullable = false, updatable = false, length = 36)
  private String uploaderDeviceId;

  @Column(name = "size_bytes", nullable = false, updatable = false)
  private long size;

  @Column(nullable = false, updatable = false, length = 48)
  private byte[] sha384;

  @Column(name = "uploaded_at", nullable = false, updatable = false)
  private Instant uploadedAt;

  @Column(name = "claim_by", nullable = false, updatable = false)
  private Instant claimBy;

  @Column(name = "referenced_at")
  private Instant referencedAt;

  protected StoredBlob() {}

  StoredBlob(
      String blobId,
      String uploaderUserId,
      String uploaderDeviceId,
      long size,
      byte[] sha384,
      Instant uploadedAt,
      Instant claimBy) {
    this.blobId = blobId;
    this.uploaderUserId = uploaderUserId;
    this.uploaderDeviceId = uploaderDeviceId;
    this.size = size;
    this.sha384 = sha384.clone();
    this.uploadedAt = uploadedAt;
    this.claimBy = claimBy;
  }

  public String blobId() {
    return blobId;
  }

  public String uploaderUserId() {
    return uploaderUserId;
  }

  public long size() {
    return size;
  }

  public byte[] sha384() {
    return sha384.clone();
  }

  public Instant uploadedAt() {
    return uploadedAt;
  }

  /** When an upload no envelope refers to is deleted. */
  public Instant claimBy() {
    return claimBy;
  }

  /** When an envelope first referred to it; null while none has. */
  public Instant referencedAt() {
    return referencedAt;
  }

  void referenced(Instant at) {
    if (referencedAt == null) {
      referencedAt = at;
    }
  }
}
