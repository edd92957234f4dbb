package io.redoubt.transparency;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Signs tree heads on demand, coalesced: callers waiting for a head that covers their leaf share
 * one signing, at most one signing runs at a time, and two signings start at least {@code
 * minInterval} apart. So the HSM signs at most 1/minInterval heads a second however many callers
 * wait, and a waiter is woken as soon as the signing that covers it finishes instead of polling.
 *
 * <p>No thread of its own: the first waiter that finds no signing in flight and the interval
 * elapsed signs (the "leader"), the others wait on a condition. Plain Java so that its timing rules
 * are unit-tested without a container; the {@link TreeHeadSchedule} singleton holds the one
 * instance per server.
 */
final class TreeHeadPacer {

  /** Signs the log's newest committed size (or finds it signed) and returns that head's size. */
  @FunctionalInterface
  interface Signing {
    long signNewest() throws Exception;
  }

  private static final Logger LOG = Logger.getLogger(TreeHeadPacer.class.getName());
  private static final long FAILURE_LOG_NANOS = Duration.ofMinutes(1).toNanos();

  private final Signing signing;
  private final long minIntervalNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signed = lock.newCondition();

  // Guarded by lock. signedSize is the size of the newest head this server knows to be stored;
  // 0 until the first signing, so the first waiter always signs (which also learns about heads
  // that another server or an earlier run stored).
  private long signedSize;
  private boolean inFlight;
  private long lastStartNanos;
  private boolean started;
  // Written only by the leader, which is one thread at a time.
  private boolean failureLogged;
  private long lastFailureLogNanos;

  TreeHeadPacer(Signing signing, Duration minInterval) {
    if (minInterval.isNegative()) {
      throw new IllegalArgumentException("negative interval " + minInterval);
    }
    this.signing = signing;
    this.minIntervalNanos = minInterval.toNanos();
  }

  /**
   * Waits until a head of size &gt; {@code index} is stored, signing one if this caller is the
   * leader.
   *
   * @return true when such a head is stored, false after {@code timeout}
   */
  boolean awaitCovering(long index, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long now;
      lock.lockInterruptibly();
      try {
        if (signedSize > index) {
          return true;
        }
        now = System.nanoTime();
        long remaining = deadline - now;
        if (remaining <= 0) {
          return false;
        }
        if (inFlight) {
          signed.awaitNanos(remaining);
          continue;
        }
        long untilAllowed = started ? lastStartNanos + minIntervalNanos - now : 0;
        if (untilAllowed > 0) {
          // Someone may become leader meanwhile; then we are woken by its signal instead.
          signed.awaitNanos(Math.min(untilAllowed, remaining));
          continue;
        }
        begin(now);
      } finally {
        lock.unlock();
      }
      // The leader signs without the lock, so that waiters arriving meanwhile queue on the
      // condition rather than on the lock.
      signAndFinish(now);
    }
  }

  /**
   * Signs now unless a signing is in flight or the interval has not elapsed: for the periodic
   * fallback, which covers appends that nobody waits for (revocations, a quiet server).
   */
  void signIfIdle() {
    long now;
    lock.lock();
    try {
      now = System.nanoTime();
      if (inFlight || (started && now - lastStartNanos < minIntervalNanos)) {
        return;
      }
      begin(now);
    } finally {
      lock.unlock();
    }
    signAndFinish(now);
  }

  /** The newest signed size known here (for tests and diagnostics). */
  long signedSize() {
    lock.lock();
    try {
      return signedSize;
    } finally {
      lock.unlock();
    }
  }

  // With the lock held: this caller is now the one signing.
  private void begin(long now) {
    inFlight = true;
    started = true;
    lastStartNanos = now;
  }

  // Without the lock. Whatever happens (even an Error), the in-flight mark is cleared and the
  // waiters are woken: a stuck mark would make every later waiter time out.
  private void signAndFinish(long now) {
    long size = -1;
    try {
      size = sign(now);
    } finally {
      finish(size);
    }
  }

  /** Without the lock: the new signed size, or -1 when signing failed. */
  private long sign(long now) {
    try {
      return signing.signNewest();
    } catch (Exception e) {
      // Waiters retry after the interval (or time out); an HSM outage also shows on readiness.
      // Retries come several times a second, so the full trace is logged once a minute at most.
      boolean quiet = failureLogged && now - lastFailureLogNanos < FAILURE_LOG_NANOS;
      LOG.log(
          quiet ? Level.FINE : Level.WARNING, "could not sign the transparency log's tree head", e);
      if (!quiet) {
        failureLogged = true;
        lastFailureLogNanos = now;
      }
      return -1;
    }
  }

  private void finish(long size) {
    lock.lock();
    try {
      inFlight = false;
      signedSize = Math.max(signedSize, size);
      signed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
