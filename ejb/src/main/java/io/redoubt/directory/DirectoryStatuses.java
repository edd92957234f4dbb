package io.redoubt.directory;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every authenticated request asks whether its caller is still ACTIVE; this answers from memory.
 * Entries are forgotten the moment a status change commits on this node ({@link
 * UserStatusChanged}), and after {@link #TTL_NANOS} in any case, which bounds how stale another
 * cluster node's answer can be until the change reaches it by other means.
 */
@ApplicationScoped
public class DirectoryStatuses {

  static final long TTL_NANOS = 30_000_000_000L;
  private static final int MAX_ENTRIES = 50_000;

  /** null status: Redoubt has no row for the user (not reconciled yet, never enrolled). */
  private record Entry(UserStatus status, long loadedAt) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  @EJB Directory directory;

  /** The user's status, or empty when Redoubt has not recorded the user. */
  public Optional<UserStatus> statusOf(String userId) {
    long now = System.nanoTime();
    Entry entry = entries.get(userId);
    if (entry == null || now - entry.loadedAt > TTL_NANOS) {
      if (entries.size() >= MAX_ENTRIES) {
        // Crude but bounded: a full cache starts over rather than growing with every user.
        entries.clear();
      }
      entry = new Entry(directory.statusOf(userId).orElse(null), now);
      entries.put(userId, entry);
    }
    return Optional.ofNullable(entry.status);
  }

  /**
   * Whether the user may use Redoubt now: recorded as ACTIVE, or not recorded yet (a first sign-in
   * before the directory's run that records them). The one rule for REST requests and sockets.
   */
  public boolean mayUseRedoubt(String userId) {
    return statusOf(userId).map(UserStatus.ACTIVE::equals).orElse(true);
  }

  void forget(@Observes(during = TransactionPhase.AFTER_SUCCESS) UserStatusChanged changed) {
    entries.remove(changed.userId());
  }
}
