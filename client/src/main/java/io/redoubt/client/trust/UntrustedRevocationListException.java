package io.redoubt.client.trust;

/**
 * A revocation list that must not be relied on: not from the organisation CA, not signed by its
 * key, out of date, or older than one already seen. A client that gets this cannot tell whether a
 * peer's certificate was revoked, and so must not trust the peer.
 */
public class UntrustedRevocationListException extends Exception {
  private static final long serialVersionUID = 1L;

  public UntrustedRevocationListException(String message) {
    super(message);
  }

  public UntrustedRevocationListException(String message, Throwable cause) {
    super(message, cause);
  }
}
