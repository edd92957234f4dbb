package io.redoubt.web.messaging;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in the order given, on a shared executor's threads, holding none while
 * idle. A socket does all its work through one, so that its state needs no lock, frames go out in
 * the order they were made, and nobody who hands it work (the group commit thread above all) waits
 * for its reads or writes.
 */
final class SerialExecutor implements Executor {

  private static final Logger LOG = Logger.getLogger(SerialExecutor.class.getName());

  /** Tasks run before the thread is handed back to the executor's queue. */
  private static final int FAIR_SHARE = 256;

  private final Executor threads;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();

  SerialExecutor(Executor threads) {
    this.threads = threads;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (running.compareAndSet(false, true)) {
      threads.execute(this::drain);
    }
  }

  private void drain() {
    do {
      for (int ran = 0; !tasks.isEmpty(); ran++) {
        if (ran == FAIR_SHARE) {
          // A busy socket gives the thread back now and then, so that others are not starved;
          // it stays marked running, so nothing else drains it meanwhile.
          threads.execute(this::drain);
          return;
        }
        try {
          tasks.poll().run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "a socket task failed", e);
        }
      }
      running.set(false);
      // A task added between the last check and the reset would otherwise wait for the next one.
    } while (!tasks.isEmpty() && running.compareAndSet(false, true));
  }
}
