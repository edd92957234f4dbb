package io.redoubt.transparency;

import jakarta.ejb.ApplicationException;

/**
 * No signed tree head covers what the caller asked for yet (the log was just created, or the leaf
 * was appended and the wait ran out, e.g. while the HSM is unavailable). Heads are signed within a
 * few hundred milliseconds of a request: the caller retries shortly.
 */
@ApplicationException(rollback = true)
public class TreeHeadNotYetSignedException extends Exception {
  private static final long serialVersionUID = 1L;

  public TreeHeadNotYetSignedException(String message) {
    super(message);
  }
}
