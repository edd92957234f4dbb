package io.redoubt.transparency;

import jakarta.ejb.ApplicationException;

/**
 * A log query that can never be answered, whatever the log's size: an index outside its tree, a
 * consistency proof backwards, an empty or oversized page. The message is safe to show the caller
 * (it holds only the numbers they sent).
 */
@ApplicationException(rollback = true)
public class InvalidLogRangeException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidLogRangeException(String message) {
    super(message);
  }
}
