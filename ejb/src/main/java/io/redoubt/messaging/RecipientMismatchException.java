package io.redoubt.messaging;

import java.util.List;

/**
 * The envelope's recipients are not exactly the conversation's active devices (the sending device
 * excepted). The lists let the client seal for the missing devices and drop the others.
 */
public class RecipientMismatchException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<String> missingDevices;
  private final List<String> unexpectedDevices;

  public RecipientMismatchException(List<String> missingDevices, List<String> unexpectedDevices) {
    super(
        "The recipients are not the conversation's active devices: "
            + missingDevices.size()
            + " missing, "
            + unexpectedDevices.size()
            + " not in the conversation.");
    this.missingDevices = List.copyOf(missingDevices);
    this.unexpectedDevices = List.copyOf(unexpectedDevices);
  }

  public List<String> missingDevices() {
    return missingDevices;
  }

  public List<String> unexpectedDevices() {
    return unexpectedDevices;
  }
}
