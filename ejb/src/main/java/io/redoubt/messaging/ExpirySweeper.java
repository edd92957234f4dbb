package io.redoubt.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes expired queue rows and envelopes, delivered or not, then released blobs (no envelope
 * refers to them any more, or an upload's grace period passed), every {@code
 * redoubt.messaging.sweep-interval} (default a minute). Each node runs it; the deletes are
 * idempotent, so a cluster needs no coordination. Each step commits on its own: blob files are
 * deleted only after their records' deletion committed.
 *
 * <p>A second, far rarer timer ({@code redoubt.messaging.orphan-sweep-interval}, default an hour)
 * deletes blob files that no record names and abandoned partial uploads ({@link
 * BlobStore#deleteOrphans}). The two may run at the same time (a read lock): an orphan sweep of a
 * large directory must not hold up expiry; the container never runs one timer twice at once.
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
  @Inject Event<QueueSwept> swept;

  private final Clock clock = Clock.systemUTC();

  private static final String EXPIRY = "messaging expiry sweep";
  private static final String ORPHANS = "blob orphan sweep";

  /** Whether entries the orphan sweep does not recognise were already reported (once a run). */
  private volatile boolean strangersReported;

  @PostConstruct
  void schedule() {
    long every = settings.sweepInterval().toMillis();
    timers.createIntervalTimer(every, every, new TimerConfig(EXPIRY, false));
    long rarely = settings.orphanSweepInterval().toMillis();
    timers.createIntervalTimer(rarely, rarely, new TimerConfig(ORPHANS, false));
  }

  @Timeout
  @Lock(LockType.READ)
  void onTimer(Timer timer) {
    if (ORPHANS.equals(timer.getInfo())) {
      sweepOrphans();
    } else {
      sweep();
    }
  }

  private void sweepOrphans() {
    BlobFiles.OrphanSweep done;
    try {
      done = blobs.deleteOrphans();
    } catch (IOException | RuntimeException e) {
      // Tried again at the next run; a failure must not make the container retry at once.
      LOG.log(Level.WARNING, "the orphan sweep of the blob directory failed", e);
      return;
    }
    if (done.deletedAny()) {
      LOG.log(
          Level.INFO,
          "deleted {0} blob files that no record named and {1} abandoned partial uploads",
          new Object[] {done.orphans(), done.partials()});
    }
    if (done.failed() > 0) {
      LOG.log(
          Level.WARNING,
          "could not delete {0} orphan files in the blob directory; check its permissions",
          done.failed());
    }
    if (done.ignored() > 0 && !strangersReported) {
      // Names only the operator put there: say so once, quietly, and never delete them.
      strangersReported = true;
      LOG.log(
          Level.FINE,
          "the blob directory holds {0} entries that are not blob files; left alone",
          done.ignored());
    }
  }

  private void sweep() {
    int deleted = queues.deleteExpired(clock.instant());
    // After the delete committed (each step commits on its own), and after every sweep: a socket
    // whose full window holds items gone some other way learns of it here too.
    swept.fire(new QueueSwept(deleted));
    int blobsDeleted = blobs.deleteReleased();
    if (deleted > 0 || blobsDeleted > 0) {
      LOG.log(
          Level.FINE,
          "deleted {0} expired queue rows and envelopes, {1} released blobs",
          new Object[] {deleted, blobsDeleted});
    }
  }
}
