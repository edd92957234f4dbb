package io.redoubt.prekeys;

import jakarta.ejb.ApplicationException;

/** An upload would take a device's stock of one-time prekeys above the limit. */
@ApplicationException(rollback = true)
public class PrekeyStockFullException extends Exception {
  private static final long serialVersionUID = 1L;

  public PrekeyStockFullException(String message) {
    super(message);
  }
}
