package io.redoubt.keys.hsm;

/** The HSM cannot be reached, logged in to, or asked for a key it should hold. */
public class HsmUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public HsmUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public HsmUnavailableException(String message) {
    super(message);
  }
}
