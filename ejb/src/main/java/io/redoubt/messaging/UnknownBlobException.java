package io.redoubt.messaging;

/**
 * No such blob, or not one the caller may read: both look the same from outside, so that a blob id
 * tells nobody whether it exists.
 */
public class UnknownBlobException extends Exception {

  private static final long serialVersionUID = 1L;

  public UnknownBlobException(String blobId) {
    super("There is no blob " + blobId + " for you.");
  }
}
