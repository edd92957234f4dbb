package io.redoubt.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessagingSettingsTest {

  /** The settings as shipped (every default), for the tests of this package. */
  static MessagingSettings shipped() {
    MessagingSettings settings = new MessagingSettings();
    settings.maxLifetimeDays = 30;
    settings.defaultLifetimeDays = 7;
    settings.maxGroupMembers = 1000;
    settings.maxContentBytes = 65_536;
    settings.maxAttachments = 10;
    settings.maxQueueLength = 10_000;
    settings.clockSkewSeconds = 300;
    settings.maxBlobBytes = 100L << 20;
    settings.maxBlobBytesPerUser = Optional.empty();
    settings.blobDirectory = Optional.empty();
    settings.unclaimedBlobGrace = Duration.ofHours(24);
    settings.sweepInterval = Duration.ofMinutes(1);
    settings.orphanSweepInterval = Duration.ofHours(1);
    return settings;
  }

  @Test
  void theQuotaIsTenGibibytesUnlessTheBlobLimitIsHigher() {
    MessagingSettings settings = shipped();
    settings.validate();
    assertThat(settings.maxBlobBytesPerUser()).isEqualTo(10L << 30);

    // A site that raised the blob limit above 10 GiB still starts after the upgrade.
    settings.maxBlobBytes = 20L << 30;
    settings.validate();
    assertThat(settings.maxBlobBytesPerUser()).isEqualTo(20L << 30);
  }

  @Test
  void anExplicitQuotaBelowTheBlobLimitStopsTheDeployment() {
    MessagingSettings settings = shipped();
    settings.maxBlobBytesPerUser = Optional.of((100L << 20) - 1);
    assertThatThrownBy(settings::validate).hasMessageContaining("max-blob-bytes-per-user");

    settings.maxBlobBytesPerUser = Optional.of(100L << 20);
    settings.validate();
    assertThat(settings.maxBlobBytesPerUser()).isEqualTo(100L << 20);
  }

  @Test
  void theOrphanSweepRunsBetweenEverySecondAndOnceADay() {
    MessagingSettings settings = shipped();
    settings.orphanSweepInterval = Duration.ofMillis(500);
    assertThatThrownBy(settings::validate).hasMessageContaining("orphan-sweep-interval");
    settings.orphanSweepInterval = Duration.ofDays(2);
    assertThatThrownBy(settings::validate).hasMessageContaining("orphan-sweep-interval");
    settings.orphanSweepInterval = Duration.ofSeconds(3);
    settings.validate();
  }
}
