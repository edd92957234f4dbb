package io.redoubt.transparency;

import jakarta.ejb.ApplicationException;

/**
 * No signed tree head covers what the caller asked for yet (the log was just created, or the leaf
 * was appended after the last batch and the wait ran out). Heads are signed about once a second:
 * the caller retries shortly.
 */
@ApplicationException(rollback = true)
public class TreeHeadNotYetSignedException extends Exception {
  private static final long serialVersionUID = 1L;

  public TreeHeadNotYetSignedException(String message) {
    super(message);
  }
}
