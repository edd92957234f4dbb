package io.redoubt.client.directory;

/**
 * A device certificate failed a check: the message says which (chain, name, log entry, inclusion
 * proof) so that the person or a log can tell a misconfigured server from an attack.
 */
public class DeviceRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  public DeviceRejectedException(String message) {
    super(message);
  }

  public DeviceRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
