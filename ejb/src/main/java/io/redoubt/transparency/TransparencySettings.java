package io.redoubt.transparency;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How often the log may sign a tree head: {@code redoubt.transparency.head-interval-ms} (or {@code
 * REDOUBT_TRANSPARENCY_HEAD_INTERVAL_MS}), the least time between two signings, 50 to 1000 ms.
 * Shorter answers enrollments sooner; longer costs the HSM fewer signatures. At the default 200 ms
 * the HSM signs at most 5 heads a second whatever the load, and an enrollment waits for its head
 * about 200 ms at worst plus one signing.
 */
@ApplicationScoped
public class TransparencySettings {

  static final int MIN_INTERVAL_MS = 50;
  static final int MAX_INTERVAL_MS = 1000;

  @Inject
  @ConfigProperty(name = "redoubt.transparency.head-interval-ms", defaultValue = "200")
  int headIntervalMillis;

  @PostConstruct
  void validate() {
    if (headIntervalMillis < MIN_INTERVAL_MS || headIntervalMillis > MAX_INTERVAL_MS) {
      throw new IllegalStateException(
          "redoubt.transparency.head-interval-ms must be "
              + MIN_INTERVAL_MS
              + " to "
              + MAX_INTERVAL_MS);
    }
  }

  /** The least time between the starts of two head signings. */
  public Duration headInterval() {
    return Duration.ofMillis(headIntervalMillis);
  }
}
