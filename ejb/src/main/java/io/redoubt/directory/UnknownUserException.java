package io.redoubt.directory;

import jakarta.ejb.ApplicationException;

/** Nobody by that name is known to the directory. */
@ApplicationException(rollback = true)
public class UnknownUserException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnknownUserException(String message) {
    super(message);
  }
}
