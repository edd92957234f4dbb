package io.redoubt.devices;

import jakarta.ejb.ApplicationException;

/** No such device, or none the caller may see: the two are not told apart. */
@ApplicationException(rollback = true)
public class UnknownDeviceException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnknownDeviceException(String message) {
    super(message);
  }
}
