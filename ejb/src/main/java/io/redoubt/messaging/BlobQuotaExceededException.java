package io.redoubt.messaging;

import jakarta.ejb.ApplicationException;

/**
 * An upload that would take the user's blobs past {@code
 * redoubt.messaging.max-blob-bytes-per-user}; nothing of it was kept. Rolls back the transaction
 * that was about to record it.
 */
@ApplicationException(rollback = true)
public class BlobQuotaExceededException extends Exception {

  private static final long serialVersionUID = 1L;

  private final long allowance;
  private final long used;

  /**
   * @param allowance the user's quota in bytes
   * @param used what the user's stored blobs took when the upload was refused
   */
  public BlobQuotaExceededException(long allowance, long used) {
    super(
        "Your attachments may take at most "
            + allowance
            + " bytes on the server and "
            + used
            + " are in use, so this upload does not fit ("
            + Math.max(0, allowance - used)
            + " bytes left). Space is freed when messages with attachments are read by every"
            + " recipient or expire, and when uploads no message refers to pass their grace"
            + " period.");
    this.allowance = allowance;
    this.used = used;
  }

  /** The user's quota in bytes. */
  public long allowance() {
    return allowance;
  }

  /** What the user's stored blobs took when the upload was refused, in bytes. */
  public long used() {
    return used;
  }
}
