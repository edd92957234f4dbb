package io.redoubt.protocol.prekeys;

import java.security.GeneralSecurityException;

/** A prekey whose signature, curve, or validity does not hold. The message says which. */
public class InvalidPrekeyException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public InvalidPrekeyException(String message) {
    super(message);
  }

  public InvalidPrekeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
