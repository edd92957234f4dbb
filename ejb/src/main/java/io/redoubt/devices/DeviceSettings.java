package io.redoubt.devices;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Device policy that is not yet per security group: how many devices, how long certificates live.
 */
@ApplicationScoped
public class DeviceSettings {

  @Inject
  @ConfigProperty(name = "redoubt.devices.max-per-user", defaultValue = "5")
  int maxPerUser;

  @Inject
  @ConfigProperty(name = "redoubt.devices.certificate-validity-days", defaultValue = "365")
  int validityDays;

  @PostConstruct
  void validate() {
    if (maxPerUser < 1 || maxPerUser > 100) {
      throw new IllegalStateException("redoubt.devices.max-per-user must be 1 to 100");
    }
    if (validityDays < 1 || validityDays > 3650) {
      throw new IllegalStateException(
          "redoubt.devices.certificate-validity-days must be 1 to 3650");
    }
  }

  public int maxPerUser() {
    return maxPerUser;
  }

  public Duration certificateValidity() {
    return Duration.ofDays(validityDays);
  }
}
