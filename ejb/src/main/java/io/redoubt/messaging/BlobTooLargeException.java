package io.redoubt.messaging;

/** An upload past {@code redoubt.messaging.max-blob-bytes}; nothing of it was kept. */
public class BlobTooLargeException extends Exception {

  private static final long serialVersionUID = 1L;

  private final long limit;

  public BlobTooLargeException(long limit) {
    super("The blob is larger than the limit of " + limit + " bytes.");
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
