package io.redoubt.web.errors;

/**
 * A request parameter out of range or a body field missing, where no domain exception fits. The
 * message is our own sentence and is shown to the caller, so it must not echo the input.
 */
public class BadInputException extends Exception {

  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }
}
