package io.redoubt.web.messaging;

import io.redoubt.devices.Device;
import jakarta.enterprise.context.RequestScoped;

/** The device that proved the current request; set by {@link DeviceProofFilter}. */
@RequestScoped
public class ProvedDevice {

  private Device device;

  void set(Device proved) {
    this.device = proved;
  }

  /**
   * The proved device.
   *
   * @throws IllegalStateException on an endpoint without {@link DeviceProofRequired}
   */
  public Device get() {
    if (device == null) {
      throw new IllegalStateException("this endpoint is not marked @DeviceProofRequired");
    }
    return device;
  }
}
