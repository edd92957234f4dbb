package io.redoubt.web.messaging;

import io.redoubt.messaging.QueueItemsAdded;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What one socket has pushed to its device and what it pushes next: at most {@link #WINDOW} items
 * in flight (pushed, not yet acknowledged), read from the device's queue in order and topped up as
 * acknowledgements arrive, so a long backlog never floods the connection or the heap.
 *
 * <p>It knows neither the socket nor the database: it reads the queue through a {@link PageSource}
 * and writes item frames to a {@code Consumer<String>}. It is not thread-safe: the socket calls it
 * from its own {@link SerialExecutor} only, which is why its fields need no lock.
 */
final class DeliveryWindow {

  /** Pushed and not yet acknowledged items, at most. */
  static final int WINDOW = 500;

  /**
   * Free places in the window before a socket behind its queue reads more: a page per hundred
   * acknowledgements at least, not a read per acknowledgement frame.
   */
  static final int REFILL = 100;

  /** The device's queue, as item frames. */
  @FunctionalInterface
  interface PageSource {

    /**
     * The queued, unexpired items after {@code after}, oldest first, at most {@code limit} of them.
     */
    Page read(long after, int limit);
  }

  /**
   * A page of the queue.
   *
   * @param frames the items' frames, in queue order
   * @param lastSeq the seq of the last row read, where the next page starts; a row can carry no
   *     frame (its envelope went while the page was read), so this is not always the last frame's
   * @param more whether items follow the page
   */
  record Page(List<ItemFrames.Frame> frames, long lastSeq, boolean more) {

    Page {
      frames = List.copyOf(frames);
    }
  }

  private final PageSource queue;
  private final Consumer<String> out;

  /**
   * A set that holds no more than this keeps its first table (16 slots): past it, the set is
   * replaced by a new one once it empties (see {@link #dropGrownTableWhenEmpty}).
   */
  static final int SMALL = 12;

  /**
   * Pushed and not yet acknowledged. Not final: a HashSet keeps the largest table it ever had when
   * it empties (1,024 slots, 4 KB, for a full window), and a socket is idle most of its life, with
   * nothing in flight, so an emptied set that grew is replaced by a small one.
   */
  private Set<Long> inFlight = new HashSet<>();

  /** Whether {@link #inFlight} held more than {@link #SMALL} items since it was made. */
  private boolean inFlightGrew;

  /**
   * Whether every item queued for the device so far has been pushed: then a new item routed from
   * the group commit goes out at once; otherwise the queue is read (backlog, full window, control
   * messages) and the new item comes with that read, in order.
   */
  private boolean caughtUp;

  /**
   * Every row queued up to here has been pushed (by a read or a route): a refill reads on from
   * here, not the whole queue again, so a device with a long backlog costs a page per refill.
   *
   * <p>A read sets it to where it stopped, which is not always the newest item pushed: a read from
   * the start that fills the window among rows committed late (control messages below what was
   * pushed) leaves rows between there and the newest unread, and a refill from the newest would
   * never push them.
   */
  private long pushedUpTo;

  /**
   * @param queue reads the device's queue
   * @param out writes a frame to the device
   */
  DeliveryWindow(PageSource queue, Consumer<String> out) {
    this.queue = queue;
    this.out = out;
  }

  /**
   * New envelope rows for this device, from the group commit that stored them: pushed at once when
   * the socket is caught up and the window has room; otherwise they come with the next queue read.
   */
  void route(List<QueueItemsAdded.NewItem> items) {
    if (!caughtUp) {
      return; // a read is due or running, and it will find them
    }
    for (QueueItemsAdded.NewItem item : items) {
      if (inFlight.size() >= WINDOW) {
        caughtUp = false; // the acknowledgements that make room read the rest
        break;
      }
      if (inFlight.add(item.seq())) {
        out.accept(ItemFrames.envelope(item.seq(), item.receivedAt(), item.body()));
      }
      pushedUpTo = Math.max(pushedUpTo, item.seq());
    }
    noteGrowth();
  }

  /**
   * Acknowledged items, once their rows are deleted; a socket behind its queue reads on when the
   * window has room for a page.
   */
  void acknowledged(List<Long> seqs) {
    // Only now: until the rows are gone a queue read would see them, and a row no longer in flight
    // would be pushed a second time.
    seqs.forEach(inFlight::remove);
    if (!caughtUp && WINDOW - inFlight.size() >= REFILL) {
      readQueueAfter(pushedUpTo);
    }
    dropGrownTableWhenEmpty();
  }

  /**
   * Reads the queue from its start: on connect, and when rows may have appeared below what was
   * pushed (a control message whose transaction committed after a later envelope's). Also forgets
   * items in flight that are gone (expired, purged), or they would hold the window for ever.
   */
  void readWholeQueue() {
    readQueueAfter(0);
  }

  /**
   * Items may have left the device's queue without an acknowledgement on this socket (called after
   * every expiry sweep): expired, or acknowledged over REST on another node. A window too full to
   * read on may hold such items, never to be acknowledged here; they would stop delivery until a
   * reconnect. They are forgotten (one read of the in-flight range), and the socket reads on if
   * that made room. A window with room costs nothing.
   */
  void itemsMayHaveLeft() {
    if (caughtUp || WINDOW - inFlight.size() >= REFILL) {
      return;
    }
    forgetGoneItems();
    if (WINDOW - inFlight.size() >= REFILL) {
      readQueueAfter(pushedUpTo);
    }
    dropGrownTableWhenEmpty();
  }

  /** Items pushed and not yet acknowledged. */
  int inFlight() {
    return inFlight.size();
  }

  /** Whether everything queued so far has been pushed, so routed items go out at once. */
  boolean caughtUp() {
    return caughtUp;
  }

  /**
   * Whether the window holds a table grown past its first size: only while items are in flight (or
   * until the next acknowledgement, expiry check or queue read empties it).
   */
  boolean holdsGrownTable() {
    return inFlightGrew;
  }

  private void noteGrowth() {
    inFlightGrew |= inFlight.size() > SMALL;
  }

  /** An idle socket costs its set's first table, not the largest burst it ever had in flight. */
  private void dropGrownTableWhenEmpty() {
    if (inFlightGrew && inFlight.isEmpty()) {
      inFlight = new HashSet<>();
      inFlightGrew = false;
    }
  }

  /**
   * Pushes the queued items after {@code after} that are not in flight, oldest first, up to the
   * window; caught up when the rest of the queue was read and fitted.
   */
  private void readQueueAfter(long start) {
    pushQueueAfter(start);
    noteGrowth();
    dropGrownTableWhenEmpty();
  }

  private void pushQueueAfter(long start) {
    caughtUp = false;
    pushedUpTo = start;
    if (inFlight.size() >= WINDOW) {
      forgetGoneItems();
    }
    long after = start;
    boolean more = true;
    Set<Long> stillQueued = new HashSet<>();
    while (more && inFlight.size() < WINDOW) {
      Page page = queue.read(after, Math.min(WINDOW, 2 * (WINDOW - inFlight.size())));
      for (ItemFrames.Frame item : page.frames()) {
        stillQueued.add(item.seq());
        if (inFlight.size() >= WINDOW) {
          return;
        }
        if (inFlight.add(item.seq())) {
          out.accept(item.text());
        }
        pushedUpTo = item.seq();
      }
      more = page.more();
      after = Math.max(after, page.lastSeq());
    }
    if (!more) {
      if (start == 0) {
        // The whole queue was read: items pushed but since expired or purged are no longer in
        // flight, or they would fill the window and stop delivery on a long-lived socket.
        inFlight.retainAll(stillQueued);
      }
      caughtUp = inFlight.size() < WINDOW;
    }
  }

  /**
   * Drops from the window the items pushed but since expired or purged (never to be acknowledged),
   * reading the queue only up to the newest item in flight.
   */
  private void forgetGoneItems() {
    long newest = inFlight.stream().mapToLong(Long::longValue).max().orElse(0);
    Set<Long> present = new HashSet<>();
    long after = 0;
    boolean more = true;
    while (more && after < newest) {
      Page page = queue.read(after, WINDOW);
      page.frames().forEach(frame -> present.add(frame.seq()));
      more = page.more();
      if (page.lastSeq() <= after) {
        break;
      }
      after = page.lastSeq();
    }
    inFlight.retainAll(present);
  }
}
