package io.redoubt.web.messaging;

/**
 * A request that needed a device proof and has none that holds. {@link #status} is 401 for a
 * missing, malformed, stale, replayed or wrongly signed proof, 403 for a device that is not the
 * caller's active device.
 */
public class DeviceProofException extends Exception {

  private static final long serialVersionUID = 1L;

  /** The problem type clients branch on. */
  public static final String PROBLEM_TYPE = "urn:redoubt:problem:device-proof";

  private final int status;

  DeviceProofException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
