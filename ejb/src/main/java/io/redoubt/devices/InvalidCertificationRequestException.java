package io.redoubt.devices;

import jakarta.ejb.ApplicationException;

/** A certification request that cannot be accepted; the message says why, for the caller. */
@ApplicationException(rollback = true)
public class InvalidCertificationRequestException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidCertificationRequestException(String message) {
    super(message);
  }

  public InvalidCertificationRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
