package io.redoubt.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TreeHeadPacerTest {

  /** A log whose size grows by appends, and a signer that takes a while, like the HSM. */
  private static final class FakeLog implements TreeHeadPacer.Signing {
    final AtomicLong size = new AtomicLong();
    final AtomicInteger signings = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger mostInFlight = new AtomicInteger();
    final List<Long> startedAtNanos = new ArrayList<>();
    volatile boolean failing;

    long append() {
      return size.getAndIncrement();
    }

    @Override
    public long signNewest() throws Exception {
      int now = inFlight.incrementAndGet();
      mostInFlight.accumulateAndGet(now, Math::max);
      synchronized (startedAtNanos) {
        startedAtNanos.add(System.nanoTime());
      }
      try {
        long signedSize = size.get();
        Thread.sleep(5);
        if (failing) {
          throw new IllegalStateException("HSM unavailable");
        }
        signings.incrementAndGet();
        return signedSize;
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  @Test
  void aLoneWaiterIsSignedForAtOnce() throws Exception {
    FakeLog log = new FakeLog();
    TreeHeadPacer pacer = new TreeHeadPacer(log, Duration.ofMillis(200));
    long index = log.append();

    long started = System.nanoTime();
    assertThat(pacer.awaitCovering(index, Duration.ofSeconds(3))).isTrue();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));
    assertThat(log.signings).hasValue(1);
    assertThat(pacer.signedSize()).isEqualTo(1);
  }

  @Test
  void aCoveredLeafNeedsNoSigning() throws Exception {
    FakeLog log = new FakeLog();
    TreeHeadPacer pacer = new TreeHeadPacer(log, Duration.ofMillis(200));
    log.append();
    log.append();
    pacer.awaitCovering(1, Duration.ofSeconds(3));

    assertThat(pacer.awaitCovering(0, Duration.ofSeconds(3))).isTrue();
    assertThat(log.signings).hasValue(1);
  }

  @Test
  void manyWaitersShareSigningsPacedByTheInterval() throws Exception {
    FakeLog log = new FakeLog();
    Duration interval = Duration.ofMillis(100);
    TreeHeadPacer pacer = new TreeHeadPacer(log, interval);
    int clients = 16;
    Duration run = Duration.ofSeconds(1);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicLong slowestNanos = new AtomicLong();
    List<Future<Integer>> results = new ArrayList<>();
    long end = System.nanoTime() + run.toNanos();
    for (int c = 0; c < clients; c++) {
      results.add(
          pool.submit(
              () -> {
                int covered = 0;
                while (System.nanoTime() < end) {
                  long index = log.append();
                  long started = System.nanoTime();
                  if (pacer.awaitCovering(index, Duration.ofSeconds(3))) {
                    covered++;
                  }
                  slowestNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
                }
                return covered;
              }));
    }
    int covered = 0;
    for (Future<Integer> result : results) {
      covered += result.get();
    }
    pool.shutdown();

    assertThat(log.mostInFlight).as("signings at once").hasValue(1);
    // 1 s at one signing per 100 ms: about 10, far fewer than the hundreds of waits.
    assertThat(log.signings.get()).isBetween(5, 13);
    assertThat(covered).isGreaterThan(5 * clients);
    // The pacer spaces its decisions to sign; the fake log stamps when the leader's thread gets to
    // run the signing just after, so one stamp can lag its decision by scheduling jitter (seen:
    // 0.24 ms on a loaded machine). The tolerance is that jitter, far below the interval.
    long jitter = Duration.ofMillis(5).toNanos();
    for (int i = 1; i < log.startedAtNanos.size(); i++) {
      assertThat(log.startedAtNanos.get(i) - log.startedAtNanos.get(i - 1))
          .as("gap before signing %d", i)
          .isGreaterThanOrEqualTo(interval.toNanos() - jitter);
    }
    // A waiter may just miss a signing: it waits for the interval and the next one, no more.
    assertThat(Duration.ofNanos(slowestNanos.get())).isLessThan(interval.multipliedBy(3));
  }

  @Test
  void aFailingSignerIsRetriedAtThePaceAndTheWaiterTimesOut() throws Exception {
    FakeLog log = new FakeLog();
    log.failing = true;
    TreeHeadPacer pacer = new TreeHeadPacer(log, Duration.ofMillis(100));
    long index = log.append();

    long started = System.nanoTime();
    assertThat(pacer.awaitCovering(index, Duration.ofMillis(450))).isFalse();

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(450));
    assertThat(log.startedAtNanos).hasSizeBetween(4, 5);

    log.failing = false;
    assertThat(pacer.awaitCovering(index, Duration.ofSeconds(1))).isTrue();
  }

  @Test
  void theFallbackSignsOnlyWhenIdleAndDue() {
    FakeLog log = new FakeLog();
    TreeHeadPacer pacer = new TreeHeadPacer(log, Duration.ofSeconds(10));
    log.append();

    pacer.signIfIdle();
    pacer.signIfIdle();

    assertThat(log.startedAtNanos).hasSize(1);
    assertThat(pacer.signedSize()).isEqualTo(1);
  }
}
