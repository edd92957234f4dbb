package io.redoubt.devices;

import jakarta.ejb.ApplicationException;

/** The device id chosen by the device is already taken (ids are never reused). */
@ApplicationException(rollback = true)
public class DeviceIdTakenException extends Exception {
  private static final long serialVersionUID = 1L;

  public DeviceIdTakenException(String message) {
    super(message);
  }
}
