package io.redoubt.client.transparency;

/**
 * What the server showed of the transparency log does not verify: a head signature, a consistency
 * or inclusion proof, an entry whose fields do not match its leaf, or a scan whose entries do not
 * hash to the signed root. The message names which, with the sizes and indexes involved. Either the
 * server is faulty or it shows this client a log other than the one it signed.
 */
public class TransparencyException extends Exception {
  private static final long serialVersionUID = 1L;

  public TransparencyException(String message) {
    super(message);
  }

  public TransparencyException(String message, Throwable cause) {
    super(message, cause);
  }
}
