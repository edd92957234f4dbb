package io.redoubt.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes expired queue rows and envelopes, delivered or not, then released blobs (no envelope
 * refers to them any more, or an upload's grace period passed), every {@code
 * redoubt.messaging.sweep-interval} (default a minute). Each node runs it; the deletes are
 * idempotent, so a cluster needs no coordination. Each step commits on its own: blob files are
 * deleted only after their records' deletion committed.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ExpirySweeper {

  private static final Logger LOG = Logger.getLogger(ExpirySweeper.class.getName());

  @Resource TimerService timers;
  @EJB DeviceQueues queues;
  @EJB BlobStore blobs;
  @Inject MessagingSettings settings;

  private final Clock clock = Clock.systemUTC();

  @PostConstruct
  void schedule() {
    long every = settings.sweepInterval().toMillis();
    timers.createIntervalTimer(every, every, new TimerConfig("messaging expiry sweep", false));
  }

  @Timeout
  void sweep() {
    int deleted = queues.deleteExpired(clock.instant());
    int blobsDeleted = blobs.deleteReleased();
    if (deleted > 0 || blobsDeleted > 0) {
      LOG.log(
          Level.FINE,
          "deleted {0} expired queue rows and envelopes, {1} released blobs",
          new Object[] {deleted, blobsDeleted});
    }
  }
}
