package io.redoubt.directory;

import jakarta.ejb.ApplicationException;

/** A reconciliation is already running on this node; runs never overlap. */
@ApplicationException(rollback = true)
public class SyncAlreadyRunningException extends Exception {
  private static final long serialVersionUID = 1L;

  public SyncAlreadyRunningException(String message) {
    super(message);
  }
}
