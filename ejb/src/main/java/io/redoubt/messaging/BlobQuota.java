package io.redoubt.messaging;

/**
 * One user's blob quota at a moment: the allowance ({@code
 * redoubt.messaging.max-blob-bytes-per-user}) and what the user's blob records add up to. Usage can
 * be above the allowance (the setting was lowered); then nothing more fits but an empty upload.
 *
 * @param allowance the most the user's blobs may take together, in bytes
 * @param used the sum of the sizes of the user's blob records, in bytes
 */
public record BlobQuota(long allowance, long used) {

  /** Validates the two amounts. */
  public BlobQuota {
    if (allowance < 0 || used < 0) {
      throw new IllegalArgumentException("a quota and a usage are never negative");
    }
  }

  /** How many more bytes the user may store; 0 at or over the allowance. */
  public long remaining() {
    return Math.max(0, allowance - used);
  }

  /** Whether a blob of {@code size} bytes keeps the user within the allowance. */
  public boolean admits(long size) {
    return size <= remaining();
  }

  /** The refusal for an upload that does not fit. */
  public BlobQuotaExceededException exceeded() {
    return new BlobQuotaExceededException(allowance, used);
  }
}
