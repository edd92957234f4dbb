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

  @Inject
  @ConfigProperty(name = "redoubt.devices.revocation-list-validity-hours", defaultValue = "24")
  int revocationListValidityHours;

  @PostConstruct
  void validate() {
    if (revocationListValidityHours < 1 || revocationListValidityHours > 168) {
      throw new IllegalStateException(
          "redoubt.devices.revocation-list-validity-hours must be 1 to 168");
    }
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

  /**
   * From a revocation list's thisUpdate to its nextUpdate. The server issues a new list after half
   * of it, or at once after a revocation.
   */
  public Duration revocationListValidity() {
    return Duration.ofHours(revocationListValidityHours);
  }
}
