package io.redoubt.prekeys;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Prekey limits, from MicroProfile Config ({@code redoubt.prekeys.*}). */
@ApplicationScoped
public class PrekeySettings {

  /** Per request, fixed by the API: a batch is one screenful of signatures to check. */
  public static final int MAX_PER_UPLOAD = 100;

  @Inject
  @ConfigProperty(name = "redoubt.prekeys.max-stock", defaultValue = "500")
  int maxStock;

  @Inject
  @ConfigProperty(name = "redoubt.prekeys.replenish-below", defaultValue = "25")
  int replenishBelow;

  /**
   * Forward secrecy of a message sealed to the signed prekey lasts until the device deletes that
   * key, so its lifetime is capped: PROTOCOL.md rotates weekly; a week's grace covers a device that
   * was off.
   */
  @Inject
  @ConfigProperty(name = "redoubt.prekeys.signed-max-lifetime-days", defaultValue = "14")
  int signedMaxLifetimeDays;

  @Inject
  @ConfigProperty(name = "redoubt.prekeys.one-time-max-lifetime-days", defaultValue = "90")
  int oneTimeMaxLifetimeDays;

  @PostConstruct
  void validate() {
    if (maxStock < MAX_PER_UPLOAD || maxStock > 10_000) {
      throw new IllegalStateException("redoubt.prekeys.max-stock must be 100 to 10000");
    }
    if (replenishBelow < 0 || replenishBelow > maxStock) {
      throw new IllegalStateException("redoubt.prekeys.replenish-below must be 0 to max-stock");
    }
    if (signedMaxLifetimeDays < 1 || signedMaxLifetimeDays > 60) {
      throw new IllegalStateException("redoubt.prekeys.signed-max-lifetime-days must be 1 to 60");
    }
    if (oneTimeMaxLifetimeDays < 1 || oneTimeMaxLifetimeDays > 365) {
      throw new IllegalStateException(
          "redoubt.prekeys.one-time-max-lifetime-days must be 1 to 365");
    }
  }

  public int maxStock() {
    return maxStock;
  }

  public int replenishBelow() {
    return replenishBelow;
  }

  public Duration signedMaxLifetime() {
    return Duration.ofDays(signedMaxLifetimeDays);
  }

  public Duration oneTimeMaxLifetime() {
    return Duration.ofDays(oneTimeMaxLifetimeDays);
  }
}
