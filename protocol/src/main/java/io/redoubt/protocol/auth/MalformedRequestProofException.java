package io.redoubt.protocol.auth;

/** A {@code Redoubt-Device-Proof} header that cannot be parsed. */
public class MalformedRequestProofException extends Exception {

  private static final long serialVersionUID = 1L;

  public MalformedRequestProofException(String message) {
    super(message);
  }
}
