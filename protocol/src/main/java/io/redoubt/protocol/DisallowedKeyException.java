package io.redoubt.protocol;

import java.security.GeneralSecurityException;

/** A key whose algorithm or curve the protocol does not allow (anything but EC P-384). */
public class DisallowedKeyException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public DisallowedKeyException(String message) {
    super(message);
  }
}
