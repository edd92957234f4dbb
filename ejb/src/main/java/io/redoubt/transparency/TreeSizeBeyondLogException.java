package io.redoubt.transparency;

import jakarta.ejb.ApplicationException;

/**
 * A query names a tree size the log has not reached (yet). Clients only ask for sizes of tree heads
 * the server signed, so this is either a client bug or a server that lost data; the caller is told
 * the current size.
 */
@ApplicationException(rollback = true)
public class TreeSizeBeyondLogException extends Exception {
  private static final long serialVersionUID = 1L;

  private final long logSize;

  public TreeSizeBeyondLogException(long requested, long logSize) {
    super("the log has " + logSize + " leaves; there is no tree of " + requested);
    this.logSize = logSize;
  }

  /** The log's size when the query was refused. */
  public long logSize() {
    return logSize;
  }
}
