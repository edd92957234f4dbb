package io.redoubt.keys;

import jakarta.ejb.ApplicationException;

/**
 * A CA certificate chain offered for import cannot become the device CA's chain; the message says
 * which check failed, for the administrator. Nothing was changed.
 */
@ApplicationException(rollback = true)
public class InvalidCaCertificateException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidCaCertificateException(String message) {
    super(message);
  }

  public InvalidCaCertificateException(String message, Throwable cause) {
    super(message, cause);
  }
}
