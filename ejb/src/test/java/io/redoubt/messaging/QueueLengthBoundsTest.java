package io.redoubt.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueueLengthBoundsTest {

  private static final long LIMIT = 10_000;

  private final QueueLengthBounds bounds = new QueueLengthBounds();

  @Test
  void anUncountedDeviceMayBeFull() {
    assertThat(bounds.mayBeFull(List.of("a", "b"), LIMIT)).containsExactly("a", "b");
  }

  @Test
  void aCountedDeviceIsNotCountedAgainUntilRowsAddedSinceCouldReachTheLimit() {
    bounds.startCounting(List.of("a")).get("a").settle(9_000);
    assertThat(bounds.mayBeFull(List.of("a"), LIMIT)).isEmpty();

    bounds.added(envelopeRows("a", 999));
    assertThat(bounds.mayBeFull(List.of("a"), LIMIT)).as("9,999 rows at most").isEmpty();
    bounds.added(envelopeRows("a", 1));
    assertThat(bounds.mayBeFull(List.of("a"), LIMIT))
        .as("10,000 rows possible")
        .containsExactly("a");
  }

  @Test
  void rowsCommittedWhileACountRunsAreAddedToIt() {
    // The count's query may have run before these rows committed: they are announced after their
    // commit, so the new bound must take them whatever the count found.
    Map<String, QueueLengthBounds.Bound> counting = bounds.startCounting(List.of("a"));
    bounds.added(envelopeRows("a", 600));
    counting.get("a").settle(9_400);
    assertThat(bounds.mayBeFull(List.of("a"), LIMIT)).containsExactly("a");
  }

  @Test
  void aBoundBeingCountedIsNotYetABound() {
    bounds.startCounting(List.of("a"));
    assertThat(bounds.mayBeFull(List.of("a"), LIMIT)).containsExactly("a");
  }

  @Test
  void controlMessagesDropTheirDevicesBoundsAsTheirCountsAreNotAnnounced() {
    bounds.startCounting(List.of("a", "b")).values().forEach(b -> b.settle(10));
    bounds.added(QueueItemsAdded.readQueues(Set.of("a")));
    assertThat(bounds.mayBeFull(List.of("a", "b"), LIMIT)).containsExactly("a");
  }

  @Test
  void rowsOfAnotherDeviceDoNotMoveABound() {
    bounds.startCounting(List.of("a")).get("a").settle(LIMIT - 1);
    bounds.added(envelopeRows("b", 5));
    assertThat(bounds.mayBeFull(List.of("a"), LIMIT)).isEmpty();
  }

  @Test
  void aRecountReplacesALooseBound() {
    bounds.startCounting(List.of("a")).get("a").settle(LIMIT);
    assertThat(bounds.mayBeFull(List.of("a"), LIMIT)).containsExactly("a");
    // The device caught up: its queue is short again, and the bound follows the new count.
    bounds.startCounting(List.of("a")).get("a").settle(3);
    assertThat(bounds.mayBeFull(List.of("a"), LIMIT)).isEmpty();
  }

  @Test
  void aFullMapStartsOverAndForgetsEveryBound() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < QueueLengthBounds.MAX_DEVICES; i++) {
      many.add("d" + i);
    }
    bounds.startCounting(many).values().forEach(b -> b.settle(0));
    assertThat(bounds.mayBeFull(List.of("d0"), LIMIT)).isEmpty();

    bounds.startCounting(List.of("new")).get("new").settle(0);

    assertThat(bounds.mayBeFull(List.of("d0", "new"), LIMIT)).containsExactly("d0");
  }

  private static QueueItemsAdded envelopeRows(String deviceId, int rows) {
    List<QueueItemsAdded.NewItem> items = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      items.add(new QueueItemsAdded.NewItem(deviceId, i + 1, "m" + i, Instant.EPOCH, new byte[0]));
    }
    return QueueItemsAdded.routed(items);
  }
}
