package io.redoubt.directory;

import jakarta.ejb.ApplicationException;

/** No such reconciliation run, or not one in the state the request needs. */
@ApplicationException(rollback = true)
public class UnknownSyncRunException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnknownSyncRunException(String message) {
    super(message);
  }
}
