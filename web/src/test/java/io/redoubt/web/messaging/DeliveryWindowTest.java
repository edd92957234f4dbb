package io.redoubt.web.messaging;

import static io.redoubt.web.messaging.DeliveryWindow.REFILL;
import static io.redoubt.web.messaging.DeliveryWindow.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.redoubt.messaging.DeviceQueues;
import io.redoubt.messaging.QueueItemsAdded;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The window against an in-memory queue: a device gets every queued item exactly once, in queue
 * order, never more than {@link DeliveryWindow#WINDOW} unacknowledged at a time, whatever mix of
 * backlog, routed items, control messages, acknowledgements and expiry it meets.
 */
class DeliveryWindowTest {

  private static final Instant AT = Instant.parse("2026-11-30T13:00:00Z");
  private static final byte[] BODY = "{\"e\":1}".getBytes(StandardCharsets.UTF_8);
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

  private final Queue queue = new Queue();
  private final Device device = new Device();
  private final DeliveryWindow window = new DeliveryWindow(queue, device::receive);

  @Test
  void aBacklogComesInOrderOnceWithinTheWindowAsAcknowledgementsArrive() {
    queue.enqueue(1_200);

    window.readWholeQueue();
    assertThat(device.received).containsExactlyElementsOf(seqs(1, 500));
    assertThat(window.inFlight()).isEqualTo(WINDOW);
    assertThat(window.caughtUp()).isFalse();

    int ackFrames = device.acknowledgeAllInFrames(10);

    assertThat(device.received).containsExactlyElementsOf(seqs(1, 1_200));
    assertThat(device.mostUnacknowledged).isEqualTo(WINDOW);
    assertThat(queue.rows).isEmpty();
    assertThat(window.inFlight()).isZero();
    assertThat(window.caughtUp()).isTrue();
    // 120 frames of ten: a read per hundred acknowledgements, not one per frame.
    assertThat(ackFrames).isEqualTo(120);
    assertThat(queue.reads).isLessThanOrEqualTo(1 + 1_200 / REFILL);
  }

  @Test
  void anIdleWindowKeepsNoTableFromItsBusiestMoment() throws ReflectiveOperationException {
    assertThat(inFlightTableSlots()).isZero(); // a new socket's set has no table yet

    queue.enqueue(WINDOW); // a burst that fills the window, as a backlog on connect does
    window.readWholeQueue();
    assertThat(window.inFlight()).isEqualTo(WINDOW);
    assertThat(inFlightTableSlots()).isGreaterThanOrEqualTo(WINDOW);

    device.acknowledgeAllInFrames(10);

    assertThat(window.inFlight()).isZero();
    assertThat(window.holdsGrownTable()).isFalse();
    assertThat(inFlightTableSlots()).isLessThanOrEqualTo(16);

    // and it still works: a routed item goes out at once into the small set
    window.route(queue.commitEnvelopes(1));
    assertThat(device.received).hasSize(WINDOW + 1);
    assertThat(window.inFlight()).isOne();
  }

  /** The slots of the table the window's in-flight set holds now (0 before its first item). */
  private int inFlightTableSlots() throws ReflectiveOperationException {
    java.lang.reflect.Field setField = DeliveryWindow.class.getDeclaredField("inFlight");
    setField.setAccessible(true);
    Object set = setField.get(window);
    java.lang.reflect.Field mapField = java.util.HashSet.class.getDeclaredField("map");
    mapField.setAccessible(true);
    Object map = mapField.get(set);
    java.lang.reflect.Field tableField = java.util.HashMap.class.getDeclaredField("table");
    tableField.setAccessible(true);
    Object[] table = (Object[]) tableField.get(map);
    return table == null ? 0 : table.length;
  }

  @Test
  void acknowledgementsOutOfOrderKeepTheOrderAndTheWindow() {
    queue.enqueue(1_200);
    window.readWholeQueue();
    Random random = new Random(42);

    while (!device.unacknowledged.isEmpty()) {
      List<Long> held = new ArrayList<>(device.unacknowledged);
      Collections.shuffle(held, random);
      device.acknowledge(held.subList(0, Math.min(held.size(), 1 + random.nextInt(30))));
      assertThat(window.inFlight()).isLessThanOrEqualTo(WINDOW);
    }

    assertThat(device.received).containsExactlyElementsOf(seqs(1, 1_200));
    assertThat(device.mostUnacknowledged).isEqualTo(WINDOW);
    assertThat(queue.rows).isEmpty();
  }

  @Test
  void acknowledgementsOfFewerThanARefillDoNotRead() {
    queue.enqueue(1_200);
    window.readWholeQueue();
    int readsAfterConnect = queue.reads;

    for (int frame = 0; frame < REFILL - 1; frame++) {
      device.acknowledge(List.of(device.unacknowledged.iterator().next()));
    }
    assertThat(queue.reads).isEqualTo(readsAfterConnect);
    assertThat(device.received).hasSize(WINDOW);

    device.acknowledge(List.of(device.unacknowledged.iterator().next()));
    assertThat(queue.reads).isEqualTo(readsAfterConnect + 1);
    assertThat(device.received).containsExactlyElementsOf(seqs(1, WINDOW + REFILL));
  }

  @Test
  void routedItemsGoOutAtOnceWhenCaughtUp() {
    queue.enqueue(10);
    window.readWholeQueue();
    assertThat(window.caughtUp()).isTrue();
    int reads = queue.reads;

    window.route(queue.commitEnvelopes(3));

    assertThat(device.received).containsExactlyElementsOf(seqs(1, 13));
    assertThat(queue.reads).as("routed items need no read").isEqualTo(reads);
    device.acknowledgeAllInFrames(5);
    assertThat(device.received).containsExactlyElementsOf(seqs(1, 13));
    assertThat(queue.rows).isEmpty();
  }

  @Test
  void routedItemsWaitForTheNextRefillWhenBehind() {
    queue.enqueue(600);
    window.readWholeQueue();

    window.route(queue.commitEnvelopes(5));
    assertThat(device.received)
        .as("behind: the refill brings them, in order")
        .containsExactlyElementsOf(seqs(1, 500));

    device.acknowledge(seqs(1, REFILL));
    assertThat(device.received).containsExactlyElementsOf(seqs(1, 600));
    device.acknowledgeAllInFrames(20);

    assertThat(device.received).containsExactlyElementsOf(seqs(1, 605));
    assertThat(queue.rows).isEmpty();
  }

  @Test
  void aRoutedBatchStopsAtTheWindowAndTheRestComesWithRefills() {
    queue.enqueue(450);
    window.readWholeQueue();
    assertThat(window.caughtUp()).isTrue();

    window.route(queue.commitEnvelopes(700));
    assertThat(device.received).containsExactlyElementsOf(seqs(1, WINDOW));
    assertThat(window.caughtUp()).isFalse();

    // Later batches, while behind, wait for the refills too.
    window.route(queue.commitEnvelopes(10));
    assertThat(device.received).hasSize(WINDOW);

    device.acknowledgeAllInFrames(25);
    assertThat(device.received).containsExactlyElementsOf(seqs(1, 1_160));
    assertThat(device.mostUnacknowledged).isEqualTo(WINDOW);
    assertThat(queue.rows).isEmpty();
    assertThat(window.caughtUp()).isTrue();
  }

  @Test
  void aLateControlRowBelowWhatWasPushedComesWithTheNextWholeRead() {
    queue.enqueue(4);
    long late = queue.reserve();
    queue.enqueue(5);
    window.readWholeQueue();
    window.route(queue.commitEnvelopes(2));
    assertThat(device.received).containsExactly(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);

    queue.commitReserved(late);
    window.readWholeQueue();

    assertThat(device.received).containsExactly(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 5L);
    device.acknowledgeAllInFrames(3);
    assertThat(device.received).doesNotHaveDuplicates().hasSize(12);
    assertThat(queue.rows).isEmpty();
  }

  @Test
  void aLateControlRowArrivingWhileTheWindowIsFullIsNotLost() {
    queue.enqueue(299);
    long late = queue.reserve();
    queue.enqueue(900);
    window.readWholeQueue();
    assertThat(window.inFlight()).isEqualTo(WINDOW);

    queue.commitReserved(late);
    window.readWholeQueue();
    device.acknowledgeAllInFrames(10);

    assertThat(device.received).contains(late).doesNotHaveDuplicates().hasSize(1_200);
    assertThat(queue.rows).isEmpty();
    assertThat(device.mostUnacknowledged).isEqualTo(WINDOW);
  }

  @Test
  void lateControlRowsThatOverflowTheWindowAreNotLost() {
    queue.enqueue(100);
    List<Long> late = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      late.add(queue.reserve());
    }
    queue.enqueue(800);
    window.readWholeQueue();
    device.acknowledge(seqs(1, 50)); // 450 in flight, 50 places: half the late rows fit

    late.forEach(queue::commitReserved);
    window.readWholeQueue();
    assertThat(window.inFlight()).isEqualTo(WINDOW);
    device.acknowledgeAllInFrames(10);

    assertThat(device.received).containsAll(late).doesNotHaveDuplicates().hasSize(1_000);
    assertThat(queue.rows).isEmpty();
  }

  @Test
  void aFullWindowOfExpiredItemsIsForgottenAndDeliveryGoesOn() {
    queue.enqueue(1_200);
    window.readWholeQueue();

    queue.expire(device.unacknowledged); // never to be acknowledged
    device.unacknowledged.clear();
    long control = queue.enqueue(1).get(0);
    window.readWholeQueue(); // the control message's read

    assertThat(device.received).containsExactlyElementsOf(seqs(1, 1_000));
    device.acknowledgeAllInFrames(10);
    assertThat(device.received).containsExactlyElementsOf(seqs(1, 1_201)).endsWith(control);
    assertThat(queue.rows).isEmpty();
  }

  @Test
  void aFullWindowWhoseItemsExpireReadsOnAfterTheSweepWithoutAReconnect() {
    queue.enqueue(1_200);
    window.readWholeQueue();

    // The device acknowledges nothing; the sweep deletes the 500 pushed items, which expired.
    queue.expire(device.unacknowledged);
    device.unacknowledged.clear();
    window.itemsMayHaveLeft();

    assertThat(window.inFlight()).isEqualTo(WINDOW);
    assertThat(device.received).containsExactlyElementsOf(seqs(1, 1_000));
    device.acknowledgeAllInFrames(10);
    assertThat(device.received).containsExactlyElementsOf(seqs(1, 1_200));
    assertThat(queue.rows).isEmpty();
  }

  @Test
  void aSweepCostsAWindowWithRoomNothingAndAFullOneOnlyItsInFlightRange() {
    queue.enqueue(100);
    window.readWholeQueue();
    int reads = queue.reads;
    window.itemsMayHaveLeft();
    assertThat(queue.reads).as("caught up: no read").isEqualTo(reads);

    queue.enqueue(1_000);
    window.readWholeQueue();
    reads = queue.reads;
    window.itemsMayHaveLeft(); // full, nothing gone: the in-flight range is read, nothing pushed
    assertThat(queue.reads - reads).isEqualTo(1);
    assertThat(device.received).containsExactlyElementsOf(seqs(1, 500));
  }

  @Test
  void expiredItemsInFlightAreForgottenByAWholeRead() {
    queue.enqueue(10);
    window.readWholeQueue();
    queue.expire(seqs(2, 4));

    window.readWholeQueue();

    assertThat(window.inFlight()).isEqualTo(7);
    assertThat(device.received).containsExactlyElementsOf(seqs(1, 10));
  }

  @Test
  void expiredItemsDoNotShrinkTheWindowForGoodOnceAWholeReadForgetsThem() {
    queue.enqueue(2_000);
    window.readWholeQueue();
    List<Long> expired = seqs(1, 450);
    queue.expire(expired);
    device.unacknowledged.removeAll(expired);

    window.readWholeQueue();
    assertThat(window.inFlight()).isEqualTo(WINDOW);
    assertThat(device.received).containsExactlyElementsOf(seqs(1, 950));

    device.acknowledgeAllInFrames(10);
    assertThat(device.received).containsExactlyElementsOf(seqs(1, 2_000));
    assertThat(queue.rows).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void everythingComesOnceAcrossAMixOfEverything(long seed) {
    Random random = new Random(seed);
    queue.enqueue(700);
    window.readWholeQueue();
    List<Long> lateRows = new ArrayList<>();
    List<Long> expired = new ArrayList<>();

    for (int step = 0; step < 2_000; step++) {
      switch (random.nextInt(6)) {
        case 0 -> window.route(queue.commitEnvelopes(1 + random.nextInt(40)));
        case 1 -> lateRows.add(queue.reserve());
        case 2 -> {
          if (!lateRows.isEmpty()) {
            queue.commitReserved(lateRows.remove(random.nextInt(lateRows.size())));
            window.readWholeQueue();
          }
        }
        case 3 -> {
          if (!device.unacknowledged.isEmpty() && random.nextInt(10) == 0) {
            long gone = device.unacknowledged.iterator().next();
            queue.expire(List.of(gone));
            device.unacknowledged.remove(gone);
            expired.add(gone);
          }
        }
        default -> {
          List<Long> held = new ArrayList<>(device.unacknowledged);
          Collections.shuffle(held, random);
          if (!held.isEmpty()) {
            device.acknowledge(held.subList(0, Math.min(held.size(), 1 + random.nextInt(60))));
          }
        }
      }
      assertThat(window.inFlight()).isLessThanOrEqualTo(WINDOW);
    }
    window.route(queue.commitEnvelopes(WINDOW)); // the late rows now commit below a busy window
    for (long late : lateRows) {
      queue.commitReserved(late);
      window.readWholeQueue(); // a control message's read, as queueChanged runs it
    }
    device.acknowledgeAllInFrames(50);

    assertThat(device.received).doesNotHaveDuplicates().hasSize(queue.committed);
    assertThat(queue.rows).isEmpty();
    assertThat(expired).as("some items expired in flight").isNotEmpty();
  }

  private static List<Long> seqs(long first, long last) {
    return LongStream.rangeClosed(first, last).boxed().toList();
  }

  private static String frame(long seq) {
    return ItemFrames.envelope(seq, AT, BODY);
  }

  /**
   * One device's queue rows, as {@link DeviceQueues#page} serves them: acknowledging deletes rows,
   * expiring hides them without an acknowledgement, and a reserved seq is a row whose transaction
   * has not committed yet (it commits later, below rows already pushed).
   */
  private final class Queue implements DeliveryWindow.PageSource {

    final TreeMap<Long, String> rows = new TreeMap<>();
    int reads;
    int committed;
    private long nextSeq = 1;

    List<Long> enqueue(int count) {
      List<Long> added = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        long seq = reserve();
        commitReserved(seq);
        added.add(seq);
      }
      return added;
    }

    /** New envelope rows, committed, as the group commit routes them. */
    List<QueueItemsAdded.NewItem> commitEnvelopes(int count) {
      return enqueue(count).stream()
          .map(seq -> new QueueItemsAdded.NewItem("device", seq, "m" + seq, AT, BODY))
          .toList();
    }

    long reserve() {
      return nextSeq++;
    }

    void commitReserved(long seq) {
      rows.put(seq, frame(seq));
      committed++;
    }

    void expire(Iterable<Long> seqs) {
      seqs.forEach(rows::remove);
    }

    @Override
    public DeliveryWindow.Page read(long after, int limit) {
      reads++;
      int size = Math.max(1, Math.min(limit, DeviceQueues.MAX_PAGE));
      SortedMap<Long, String> rest = rows.tailMap(after + 1);
      List<ItemFrames.Frame> frames = new ArrayList<>();
      for (var row : rest.entrySet()) {
        if (frames.size() == size) {
          break;
        }
        frames.add(new ItemFrames.Frame(row.getKey(), row.getValue()));
      }
      long lastSeq = frames.isEmpty() ? after : frames.get(frames.size() - 1).seq();
      return new DeliveryWindow.Page(frames, lastSeq, rest.size() > size);
    }
  }

  /** The other end: what it received, in order, and what it has not acknowledged yet. */
  private final class Device {

    final List<Long> received = new ArrayList<>();
    final LinkedHashSet<Long> unacknowledged = new LinkedHashSet<>();
    int mostUnacknowledged;

    void receive(String frame) {
      Matcher seq = SEQ.matcher(frame);
      assertThat(seq.find()).as("an item frame: %s", frame).isTrue();
      long pushed = Long.parseLong(seq.group(1));
      received.add(pushed);
      unacknowledged.add(pushed);
      mostUnacknowledged = Math.max(mostUnacknowledged, unacknowledged.size());
    }

    /** As the socket does: the rows are deleted, then the window hears of it. */
    void acknowledge(List<Long> seqs) {
      List<Long> acked = List.copyOf(seqs);
      acked.forEach(queue.rows::remove);
      acked.forEach(unacknowledged::remove);
      window.acknowledged(acked);
    }

    /** Acknowledges, oldest first, until nothing more comes; returns the number of frames. */
    int acknowledgeAllInFrames(int perFrame) {
      int frames = 0;
      while (!unacknowledged.isEmpty()) {
        acknowledge(unacknowledged.stream().limit(perFrame).toList());
        frames++;
      }
      return frames;
    }
  }
}
