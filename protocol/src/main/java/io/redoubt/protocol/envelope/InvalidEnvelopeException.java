package io.redoubt.protocol.envelope;

/** An envelope that is not well formed: a missing field, bad base64, recipients out of order. */
public class InvalidEnvelopeException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidEnvelopeException(String message) {
    super(message);
  }

  public InvalidEnvelopeException(String message, Throwable cause) {
    super(message, cause);
  }
}
