package io.redoubt.messaging;

import java.util.List;

/**
 * Some recipient devices hold as many unexpired, unacknowledged items as allowed. The message is
 * refused rather than anything unexpired being dropped: the sender is told, and may retry later.
 */
public class RecipientQueueFullException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<String> devices;

  public RecipientQueueFullException(List<String> devices) {
    super(devices.size() + " recipient device(s) have full queues; try again later.");
    this.devices = List.copyOf(devices);
  }

  public List<String> devices() {
    return devices;
  }
}
