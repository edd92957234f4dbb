package io.redoubt.web.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void runsTasksOneAtATimeInTheOrderGiven() throws InterruptedException {
    SerialExecutor serial = new SerialExecutor(pool);
    int tasks = 5_000; // well past the fair share, so the drain hands its thread back many times
    List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(tasks);
    for (int i = 0; i < tasks; i++) {
      int n = i;
      serial.execute(
          () -> {
            if (running.incrementAndGet() > 1) {
              overlaps.incrementAndGet();
            }
            ran.add(n);
            running.decrementAndGet();
            done.countDown();
          });
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(overlaps).hasValue(0);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      expected.add(i);
    }
    assertThat(ran).isEqualTo(expected);
  }

  @Test
  void aFailingTaskDoesNotStopTheOnesAfterIt() throws InterruptedException {
    SerialExecutor serial = new SerialExecutor(pool);
    CountDownLatch after = new CountDownLatch(1);
    serial.execute(
        () -> {
          throw new IllegalStateException("boom");
        });
    serial.execute(after::countDown);
    assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void tasksFromManyThreadsAllRun() throws InterruptedException {
    SerialExecutor serial = new SerialExecutor(pool);
    ExecutorService producers = Executors.newFixedThreadPool(4);
    int each = 1_000;
    CountDownLatch done = new CountDownLatch(4 * each);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    for (int p = 0; p < 4; p++) {
      producers.execute(
          () -> {
            for (int i = 0; i < each; i++) {
              serial.execute(
                  () -> {
                    if (running.incrementAndGet() > 1) {
                      overlaps.incrementAndGet();
                    }
                    running.decrementAndGet();
                    done.countDown();
                  });
            }
          });
    }
    try {
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(overlaps).hasValue(0);
    } finally {
      producers.shutdownNow();
    }
  }
}
