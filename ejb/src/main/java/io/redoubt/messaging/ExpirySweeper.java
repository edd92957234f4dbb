package io.redoubt.messaging;

import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes expired queue rows and envelopes every minute, delivered or not. Each node runs it; the
 * deletes are idempotent, so a cluster needs no coordination.
 */
@Singleton
public class ExpirySweeper {

  private static final Logger LOG = Logger.getLogger(ExpirySweeper.class.getName());

  @EJB DeviceQueues queues;

  private final Clock clock = Clock.systemUTC();

  @Schedule(hour = "*", minute = "*", second = "17", persistent = false)
  void sweep() {
    int deleted = queues.deleteExpired(clock.instant());
    if (deleted > 0) {
      LOG.log(Level.FINE, "deleted {0} expired queue rows and envelopes", deleted);
    }
  }
}
