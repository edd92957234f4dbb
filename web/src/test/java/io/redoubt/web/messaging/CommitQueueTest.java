package io.redoubt.web.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.messaging.GroupCommit;
import io.redoubt.messaging.Mailroom;
import io.redoubt.protocol.crypto.SealedContent;
import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.EnvelopeHeader;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batching rules of the group commit, against a stand-in for the transaction (the real one is
 * exercised by the messaging ITs against MariaDB).
 */
class CommitQueueTest {

  private final RecordingCommit store = new RecordingCommit();
  private final CommitQueue queue = new CommitQueue();

  @AfterEach
  void stop() {
    queue.stop();
  }

  @Test
  void sendsThatArriveDuringACommitShareTheNextOne() throws Exception {
    store.holdFirst = true;
    start();
    CompletableFuture<Mailroom.Outcome> first = queue.send(submission(UUID.randomUUID()));
    store.entered.await(5, TimeUnit.SECONDS); // the first batch is committing now
    List<CompletableFuture<Mailroom.Outcome>> rest = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rest.add(queue.send(submission(UUID.randomUUID())));
    }
    CompletableFuture<Void> ack = queue.acknowledge("device-b", List.of(7L, 8L));
    store.release.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS).accepted()).isNotNull();
    for (CompletableFuture<Mailroom.Outcome> each : rest) {
      assertThat(each.get(5, TimeUnit.SECONDS).accepted()).isNotNull();
    }
    ack.get(5, TimeUnit.SECONDS);
    assertThat(store.batchSizes).containsExactly(1, 100);
    assertThat(store.acknowledged).containsExactly(Map.of("device-b", List.of(7L, 8L)));
  }

  @Test
  void aMessageIdGoesIntoABatchOnlyOnce() throws Exception {
    store.holdFirst = true;
    start();
    queue.send(submission(UUID.randomUUID()));
    store.entered.await(5, TimeUnit.SECONDS);
    UUID retried = UUID.randomUUID();
    CompletableFuture<Mailroom.Outcome> a = queue.send(submission(retried));
    CompletableFuture<Mailroom.Outcome> b = queue.send(submission(retried));
    store.release.countDown();

    a.get(5, TimeUnit.SECONDS);
    b.get(5, TimeUnit.SECONDS);
    assertThat(store.batchSizes).containsExactly(1, 1, 1);
  }

  @Test
  void aDeadlockedBatchIsRunAgain() throws Exception {
    store.deadlocksLeft = 1;
    start();
    Mailroom.Outcome outcome = queue.send(submission(UUID.randomUUID())).get(5, TimeUnit.SECONDS);
    assertThat(outcome.accepted()).isNotNull();
    assertThat(store.batchSizes).containsExactly(1, 1);
  }

  @Test
  void aFailingBatchIsRetriedItemByItemSoThatOnlyThePoisonFails() throws Exception {
    store.holdFirst = true;
    start();
    queue.send(submission(UUID.randomUUID()));
    store.entered.await(5, TimeUnit.SECONDS);
    UUID poison = UUID.randomUUID();
    store.poison = poison.toString();
    CompletableFuture<Mailroom.Outcome> good = queue.send(submission(UUID.randomUUID()));
    CompletableFuture<Mailroom.Outcome> bad = queue.send(submission(poison));
    store.release.countDown();

    assertThat(good.get(5, TimeUnit.SECONDS).accepted()).isNotNull();
    assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("poison");
  }

  @Test
  void aFullQueueRefusesInsteadOfGrowing() throws Exception {
    store.holdFirst = true;
    start();
    queue.send(submission(UUID.randomUUID()));
    store.entered.await(5, TimeUnit.SECONDS);
    try {
      for (int i = 0; i < CommitQueue.CAPACITY; i++) {
        queue.acknowledge("device", List.of((long) i));
      }
      assertThatThrownBy(() -> queue.send(submission(UUID.randomUUID())))
          .isInstanceOf(ServerBusyException.class);
    } finally {
      store.release.countDown();
    }
  }

  private void start() {
    queue.groupCommit = store;
    queue.connected = new ConnectedDevices(); // no sockets: acknowledgements reach nobody
    queue.start(Thread::new);
  }

  private static Mailroom.Submission submission(UUID messageId) {
    UUID conversation = UUID.randomUUID();
    UUID device = UUID.randomUUID();
    Instant now = Instant.now();
    EnvelopeHeader header =
        new EnvelopeHeader(
            1,
            conversation,
            messageId,
            "alice",
            device,
            now,
            now.plusSeconds(60),
            false,
            "text/plain",
            List.of());
    Envelope envelope =
        new Envelope(header, new SealedContent(new byte[12], new byte[32]), List.of(), new byte[8]);
    // The queue only carries the body and the id's text; the body's value does not matter here.
    return new Mailroom.Submission(
        conversation,
        envelope,
        new byte[] {'{', '}'},
        "alice",
        device.toString(),
        messageId.toString());
  }

  /** Records batches; can hold the first one, fail with a deadlock, or fail on a poison id. */
  private static final class RecordingCommit extends GroupCommit {
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    final List<Map<String, ? extends Collection<Long>>> acknowledged =
        Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean holdFirst;
    volatile int deadlocksLeft;
    volatile String poison;

    @Override
    public List<Mailroom.Outcome> commit(
        List<Mailroom.Submission> submissions,
        Map<String, ? extends Collection<Long>> acknowledgements) {
      batchSizes.add(submissions.size());
      entered.countDown();
      if (holdFirst) {
        holdFirst = false;
        try {
          release.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (deadlocksLeft > 0) {
        deadlocksLeft--;
        throw new IllegalStateException(new SQLException("Deadlock found", "40001", 1213));
      }
      if (poison != null && submissions.stream().anyMatch(s -> s.messageId().equals(poison))) {
        throw new IllegalStateException("poison");
      }
      if (!acknowledgements.isEmpty()) {
        acknowledged.add(Map.copyOf(acknowledgements));
      }
      return submissions.stream()
          .map(
              s ->
                  new Mailroom.Outcome(
                      new Mailroom.Accepted(
                          s.messageId(), Instant.now(), Instant.now().plusSeconds(60), 1, true),
                      null))
          .toList();
    }
  }
}
