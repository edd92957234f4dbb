package io.redoubt.protocol.envelope;

/**
 * An envelope this device cannot open: it is not a recipient, no longer holds the prekey, or the
 * wrapped key, content or header binding does not authenticate. The message says which, without any
 * key material.
 */
public class UnopenableEnvelopeException extends Exception {

  private static final long serialVersionUID = 1L;

  public UnopenableEnvelopeException(String message) {
    super(message);
  }

  public UnopenableEnvelopeException(String message, Throwable cause) {
    super(message, cause);
  }
}
