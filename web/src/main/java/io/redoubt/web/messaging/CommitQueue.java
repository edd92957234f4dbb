package io.redoubt.web.messaging;

import io.redoubt.messaging.GroupCommit;
import io.redoubt.messaging.Mailroom;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's group commit: every send and acknowledgement, from sockets and REST alike, waits here
 * for one committer thread, which stores whatever has arrived while its previous transaction was
 * committing in one transaction ({@link GroupCommit}). Under load a batch holds hundreds of
 * messages and the commit's fsync is shared by all of them; when idle a batch is one message and
 * waits for nothing, so there is no timer to tune.
 *
 * <p>One thread writes, so sends and acknowledgements of this node never deadlock each other in
 * InnoDB. A deadlock with another writer (a REST acknowledgement, a membership change, the expiry
 * sweep) rolls the batch back and it is run again; any other failure of a batch is retried item by
 * item, so that one poisonous message fails alone.
 */
@ApplicationScoped
public class CommitQueue {

  private static final Logger LOG = Logger.getLogger(CommitQueue.class.getName());

  /** Sends and acknowledgements per transaction, at most. */
  static final int MAX_BATCH = 512;

  /** Waiting work before callers are refused with 503: bounds the heap behind a slow database. */
  static final int CAPACITY = 50_000;

  /** How long a REST caller waits for its batch before answering 500. */
  private static final long COMMIT_WAIT_SECONDS = 60;

  @EJB GroupCommit groupCommit;
  @Inject ConnectedDevices connected;
  @Resource ManagedThreadFactory threads;

  private final BlockingQueue<Work> waiting = new LinkedBlockingQueue<>(CAPACITY);
  private volatile boolean running = true;
  private Thread committer;

  /** A send or an acknowledgement waiting for the committer. */
  private sealed interface Work permits Send, Acknowledgement {}

  private record Send(Mailroom.Submission submission, CompletableFuture<Mailroom.Outcome> done)
      implements Work {}

  private record Acknowledgement(String deviceId, List<Long> seqs, CompletableFuture<Void> done)
      implements Work {}

  @PostConstruct
  void start() {
    start(threads);
  }

  /** Starts the committer on a thread of {@code factory} (the container's, but in unit tests). */
  void start(ThreadFactory factory) {
    committer = factory.newThread(this::commitLoop);
    committer.setName("redoubt-group-commit");
    committer.start();
  }

  @PreDestroy
  void stop() {
    running = false;
    committer.interrupt();
    for (Work work = waiting.poll(); work != null; work = waiting.poll()) {
      fail(work, new IllegalStateException("the server is stopping"));
    }
  }

  /**
   * Queues an envelope for the next batch; the stage completes once its transaction committed (or
   * failed).
   *
   * @throws ServerBusyException when too much is waiting already
   */
  public CompletableFuture<Mailroom.Outcome> send(Mailroom.Submission submission)
      throws ServerBusyException {
    Send send = new Send(submission, new CompletableFuture<>());
    offer(send);
    return send.done();
  }

  /**
   * Queues a device's acknowledgement for the next batch. Once it committed, this node's sockets of
   * the device hear of it, whichever way it came (over one of them, or over REST), so that the
   * items leave their windows.
   *
   * @throws ServerBusyException when too much is waiting already
   */
  public CompletableFuture<Void> acknowledge(String deviceId, List<Long> seqs)
      throws ServerBusyException {
    Acknowledgement ack =
        new Acknowledgement(deviceId, List.copyOf(seqs), new CompletableFuture<>());
    offer(ack);
    return ack.done().thenRun(() -> connected.acknowledged(deviceId, ack.seqs()));
  }

  /**
   * For a request thread that answers only once its work is durable (REST): waits for the batch and
   * rethrows its failure as it was (a 500 through the unexpected-exception mapper). A wait that
   * runs out answers 500 too; the client's retry is safe, since both sends (by message id) and
   * acknowledgements are idempotent.
   */
  static <T> T awaitCommitted(CompletableFuture<T> done, String what) {
    try {
      return done.get(COMMIT_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + what + " was being stored", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException("storing " + what + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " was not stored in time", e);
    }
  }

  private void offer(Work work) throws ServerBusyException {
    if (!running) {
      throw new IllegalStateException("the server is stopping");
    }
    if (!waiting.offer(work)) {
      throw new ServerBusyException();
    }
  }

  private void commitLoop() {
    Work carried = null;
    while (running) {
      try {
        List<Work> batch = new ArrayList<>();
        Set<String> messageIds = new HashSet<>();
        Work next = carried != null ? carried : waiting.take();
        carried = null;
        while (next != null) {
          // A message id at most once per batch: a client's retry that arrives while its first
          // attempt waits is answered by the next batch, as a retry of a stored envelope.
          if (next instanceof Send send && !messageIds.add(send.submission().messageId())) {
            carried = next;
            break;
          }
          batch.add(next);
          next = batch.size() < MAX_BATCH ? waiting.poll() : null;
        }
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        // commit() completes every future itself; this only keeps the thread alive.
        LOG.log(Level.SEVERE, "the group commit loop failed", e);
      }
    }
    if (carried != null) {
      fail(carried, new IllegalStateException("the server is stopping"));
    }
  }

  private void commit(List<Work> batch) {
    try {
      run(batch);
    } catch (RuntimeException failure) {
      if (batch.size() == 1) {
        fail(batch.get(0), failure);
        return;
      }
      LOG.log(
          Level.WARNING,
          "a batch of " + batch.size() + " failed; committing its items one by one",
          failure);
      for (Work work : batch) {
        try {
          run(List.of(work));
        } catch (RuntimeException alone) {
          fail(work, alone);
        }
      }
    }
  }

  /** One transaction for the batch, run again if InnoDB picked it as a deadlock victim. */
  private void run(List<Work> batch) {
    List<Send> sends = new ArrayList<>();
    List<Acknowledgement> acks = new ArrayList<>();
    Map<String, List<Long>> seqsByDevice = new LinkedHashMap<>();
    for (Work work : batch) {
      if (work instanceof Send send) {
        sends.add(send);
      } else if (work instanceof Acknowledgement ack) {
        acks.add(ack);
        seqsByDevice.computeIfAbsent(ack.deviceId(), d -> new ArrayList<>()).addAll(ack.seqs());
      }
    }
    List<Mailroom.Submission> submissions = sends.stream().map(Send::submission).toList();
    List<Mailroom.Outcome> outcomes =
        DeadlockRetry.run(() -> groupCommit.commit(submissions, seqsByDevice));
    for (int i = 0; i < sends.size(); i++) {
      sends.get(i).done().complete(outcomes.get(i));
    }
    acks.forEach(ack -> ack.done().complete(null));
  }

  private static void fail(Work work, Throwable failure) {
    if (work instanceof Send send) {
      send.done().completeExceptionally(failure);
    } else if (work instanceof Acknowledgement ack) {
      ack.done().completeExceptionally(failure);
    }
  }
}
