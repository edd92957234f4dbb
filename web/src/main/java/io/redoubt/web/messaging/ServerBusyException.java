package io.redoubt.web.messaging;

/**
 * The node has more sends and acknowledgements waiting for the database than it will queue: the
 * caller is told to come back shortly (503 with {@code Retry-After}) instead of the node's memory
 * growing without bound behind a slow database.
 */
public class ServerBusyException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Seconds a client waits before trying again. */
  public static final long RETRY_AFTER_SECONDS = 1;

  ServerBusyException() {
    super(
        "The server has too many messages waiting to be stored; try again in "
            + RETRY_AFTER_SECONDS
            + " s.");
  }
}
