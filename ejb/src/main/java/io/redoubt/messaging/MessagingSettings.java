package io.redoubt.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Messaging limits, from MicroProfile Config ({@code redoubt.messaging.*}). */
@ApplicationScoped
public class MessagingSettings {

  /** The policy maximum: no copy of a message outlives it, delivered or not. */
  @Inject
  @ConfigProperty(name = "redoubt.messaging.max-lifetime-days", defaultValue = "30")
  int maxLifetimeDays;

  @Inject
  @ConfigProperty(name = "redoubt.messaging.default-lifetime-days", defaultValue = "7")
  int defaultLifetimeDays;

  @Inject
  @ConfigProperty(name = "redoubt.messaging.max-group-members", defaultValue = "1000")
  int maxGroupMembers;

  /** Text and small content; files travel as blobs. Base64 and JSON add a third on the wire. */
  @Inject
  @ConfigProperty(name = "redoubt.messaging.max-content-bytes", defaultValue = "65536")
  int maxContentBytes;

  @Inject
  @ConfigProperty(name = "redoubt.messaging.max-attachments", defaultValue = "10")
  int maxAttachments;

  /** Unacknowledged, unexpired items a device may have waiting before senders are refused. */
  @Inject
  @ConfigProperty(name = "redoubt.messaging.max-queue-length", defaultValue = "10000")
  int maxQueueLength;

  /** How far a sender's clock may be ahead when it computes an expiry from the maximum. */
  @Inject
  @ConfigProperty(name = "redoubt.messaging.clock-skew-seconds", defaultValue = "300")
  int clockSkewSeconds;

  /**
   * Defence in depth: also check each envelope's signature on the server. Off by default
   * (PROTOCOL.md: recipients verify, and that is what security rests on).
   */
  @Inject
  @ConfigProperty(name = "redoubt.messaging.verify-signatures", defaultValue = "false")
  boolean verifySignatures;

  /**
   * The largest attachment blob, enforced while the upload streams. The HTTPS listener's own
   * max-post-size (installer: REDOUBT_HTTP_MAX_POST_SIZE) must be at least this.
   */
  @Inject
  @ConfigProperty(name = "redoubt.messaging.max-blob-bytes", defaultValue = "104857600")
  long maxBlobBytes;

  /**
   * The most that one user's blobs may take together (the sum of their sizes, referenced or still
   * waiting to be), so that no single account can fill the blob directory's disk. Unset: {@link
   * #DEFAULT_BLOB_BYTES_PER_USER}, or {@code max-blob-bytes} where that was set higher, so that a
   * site that raised the blob limit still starts after an upgrade.
   */
  @Inject
  @ConfigProperty(name = "redoubt.messaging.max-blob-bytes-per-user")
  Optional<Long> maxBlobBytesPerUser;

  /**
   * 10 GiB: a hundred uploads at the largest blob size, far above what a person sends within the
   * lifetime of the messages that keep blobs alive, and small enough that the worst case stays
   * plannable (300 accounts that fill their quota need 3 TiB).
   */
  static final long DEFAULT_BLOB_BYTES_PER_USER = 10L << 30;

  /** Where blobs are kept; by default {@code blobs/} under the server's data directory. */
  @Inject
  @ConfigProperty(name = "redoubt.messaging.blob-directory")
  Optional<String> blobDirectory;

  /** How long an upload may wait for the first envelope that refers to it. */
  @Inject
  @ConfigProperty(name = "redoubt.messaging.unclaimed-blob-grace", defaultValue = "PT24H")
  Duration unclaimedBlobGrace;

  /** How often expired envelopes and released blobs are deleted. */
  @Inject
  @ConfigProperty(name = "redoubt.messaging.sweep-interval", defaultValue = "PT1M")
  Duration sweepInterval;

  /**
   * How often the blob directory is searched for files that no record names (left by a crash
   * between a file's install and its record's commit, or mid-upload). Rare: each run lists every
   * file, and orphans only come from crashes.
   */
  @Inject
  @ConfigProperty(name = "redoubt.messaging.orphan-sweep-interval", defaultValue = "PT1H")
  Duration orphanSweepInterval;

  @PostConstruct
  void validate() {
    if (maxLifetimeDays < 1 || maxLifetimeDays > 3650) {
      throw new IllegalStateException("redoubt.messaging.max-lifetime-days must be 1 to 3650");
    }
    if (defaultLifetimeDays < 1 || defaultLifetimeDays > maxLifetimeDays) {
      throw new IllegalStateException(
          "redoubt.messaging.default-lifetime-days must be 1 to max-lifetime-days");
    }
    if (maxGroupMembers < 2 || maxGroupMembers > 10_000) {
      throw new IllegalStateException("redoubt.messaging.max-group-members must be 2 to 10000");
    }
    if (maxContentBytes < 1024 || maxContentBytes > 512 * 1024) {
      throw new IllegalStateException("redoubt.messaging.max-content-bytes must be 1024 to 524288");
    }
    if (maxAttachments < 0 || maxAttachments > 100) {
      throw new IllegalStateException("redoubt.messaging.max-attachments must be 0 to 100");
    }
    if (maxQueueLength < 10 || maxQueueLength > 1_000_000) {
      throw new IllegalStateException("redoubt.messaging.max-queue-length must be 10 to 1000000");
    }
    if (clockSkewSeconds < 0 || clockSkewSeconds > 3600) {
      throw new IllegalStateException("redoubt.messaging.clock-skew-seconds must be 0 to 3600");
    }
    if (maxBlobBytes < 1 << 20 || maxBlobBytes > 1L << 40) {
      throw new IllegalStateException("redoubt.messaging.max-blob-bytes must be 1 MiB to 1 TiB");
    }
    // Below the largest blob, a quota would silently lower the blob limit for everyone.
    long perUser = maxBlobBytesPerUser();
    if (perUser < maxBlobBytes || perUser > 1L << 50) {
      throw new IllegalStateException(
          "redoubt.messaging.max-blob-bytes-per-user must be max-blob-bytes to 1 PiB");
    }
    if (unclaimedBlobGrace.compareTo(Duration.ofSeconds(10)) < 0
        || unclaimedBlobGrace.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalStateException(
          "redoubt.messaging.unclaimed-blob-grace must be 10 seconds to 7 days");
    }
    if (sweepInterval.compareTo(Duration.ofSeconds(1)) < 0
        || sweepInterval.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalStateException("redoubt.messaging.sweep-interval must be 1 s to 1 h");
    }
    if (orphanSweepInterval.compareTo(Duration.ofSeconds(1)) < 0
        || orphanSweepInterval.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalStateException(
          "redoubt.messaging.orphan-sweep-interval must be 1 s to 1 day");
    }
  }

  public Duration maxLifetime() {
    return Duration.ofDays(maxLifetimeDays);
  }

  public Duration defaultLifetime() {
    return Duration.ofDays(defaultLifetimeDays);
  }

  public int maxGroupMembers() {
    return maxGroupMembers;
  }

  public int maxContentBytes() {
    return maxContentBytes;
  }

  public int maxAttachments() {
    return maxAttachments;
  }

  public int maxQueueLength() {
    return maxQueueLength;
  }

  public Duration clockSkew() {
    return Duration.ofSeconds(clockSkewSeconds);
  }

  public boolean verifySignatures() {
    return verifySignatures;
  }

  public long maxBlobBytes() {
    return maxBlobBytes;
  }

  /** The sum of sizes one user's blobs may reach. */
  public long maxBlobBytesPerUser() {
    return maxBlobBytesPerUser.orElse(Math.max(DEFAULT_BLOB_BYTES_PER_USER, maxBlobBytes));
  }

  /** The blob directory: the setting, else {@code ${jboss.server.data.dir}/blobs}. */
  public Path blobDirectory() {
    return blobDirectory
        .filter(dir -> !dir.isBlank())
        .map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("jboss.server.data.dir", "."), "blobs"));
  }

  public Duration unclaimedBlobGrace() {
    return unclaimedBlobGrace;
  }

  public Duration sweepInterval() {
    return sweepInterval;
  }

  public Duration orphanSweepInterval() {
    return orphanSweepInterval;
  }
}
