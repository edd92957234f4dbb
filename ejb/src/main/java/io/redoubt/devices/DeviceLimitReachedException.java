package io.redoubt.devices;

import jakarta.ejb.ApplicationException;

/** The user already has as many active devices as policy allows; revoke one first. */
@ApplicationException(rollback = true)
public class DeviceLimitReachedException extends Exception {
  private static final long serialVersionUID = 1L;

  public DeviceLimitReachedException(String message) {
    super(message);
  }
}
