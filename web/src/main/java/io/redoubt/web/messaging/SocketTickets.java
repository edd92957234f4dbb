package io.redoubt.web.messaging;

import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.crypto.HashFunction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BinaryOperator;

/**
 * Single-use tickets that open a socket. There are two kinds, redeemed the same way in the socket's
 * {@code hello} frame:
 *
 * <ul>
 *   <li>a device gets a <em>socket ticket</em> over REST — where the bearer token, the account
 *       status and the device proof are checked by the same filters as every other request — good
 *       for {@link #LIFETIME};
 *   <li>every socket that opens gets a <em>resumption ticket</em> in its {@code ready} frame, for
 *       the device's next socket, good for {@link #RESUMPTION_LIFETIME} but never past the expiry
 *       of the access token the first ticket of the chain was issued under. A reconnect then needs
 *       no HTTPS request, no bearer-token check and no device proof: its authority is the proved
 *       request that opened the chain, and it ends with the same token (see the ADR on socket
 *       resumption for why no new device signature is asked for).
 * </ul>
 *
 * <p>Browsers cannot set headers on a WebSocket, and a ticket in a frame never lands in an access
 * log the way a token in a URL would. Tickets are 256 bits from the FIPS DRBG and kept only as
 * their SHA-384 hash, in this node's memory: a socket must open on the node that issued its ticket
 * (the balancer's WebSocket affinity, or a retry). Redeeming a ticket does not check that the
 * device is still active or its user still allowed in; the socket does, after it has registered
 * (see {@code DeliverySocket}), so that a revocation can never slip between the check and the
 * registration.
 *
 * <p>A REST ticket and the resumption tickets that follow from it form a <em>chain</em>. A ticket
 * is single-use, so one presented a second time while it would still be good was copied (or the
 * client lost the {@code ready} that answered its first use); as the server cannot tell the copy
 * from the original, reuse ends the chain: its outstanding ticket is invalidated and its socket
 * closed (see {@link Redemption#reused}), and the device comes back only through a proved REST
 * request, as with refresh-token reuse detection (RFC 9700, section 4.14.2). The ADR on socket
 * resumption gives the reasoning.
 */
@ApplicationScoped
public class SocketTickets {

  /** How long a ticket from REST may wait to be used. */
  static final Duration LIFETIME = Duration.ofSeconds(30);

  /**
   * How long a resumption ticket may wait to be used, at most: long enough for a device to come
   * back after a network change or a short sleep, short enough that a ticket left behind soon stops
   * mattering. The access token's expiry usually comes first (300 s in the lab realm).
   */
  static final Duration RESUMPTION_LIFETIME = Duration.ofMinutes(5);

  private static final int TICKET_BYTES = 32;
  private static final int MAX_OUTSTANDING = 100_000;

  /**
   * How often, at most, a ticket's issue also purges: so that on a quiet node expired tickets and
   * the marks of revoked devices go within minutes, not only once the map has grown to {@link
   * #MAX_OUTSTANDING}.
   */
  static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

  /**
   * Tickets issued and not yet expired, by hash, used ones included: a used ticket is kept, marked
   * spent, until its expiry, so that a second presentation is recognised as reuse rather than as an
   * unknown ticket.
   */
  private final Map<String, Held> outstanding = new ConcurrentHashMap<>();

  /**
   * Chains ended by reuse, until the token they were issued under expires (when they would): one
   * entry per reuse, purged with the tickets.
   */
  private final Map<Long, Instant> ended = new ConcurrentHashMap<>();

  /**
   * Devices revoked while this node may hold tickets of theirs, each with the earliest time its
   * mark may go: a resumed socket's {@code hello} consults this instead of reading the device from
   * the database (see {@link #deviceRevoked(String)}). Purged with the tickets, once no ticket
   * names the device.
   */
  private final Map<String, Instant> revokedDevices = new ConcurrentHashMap<>();

  private final AtomicLong chains = new AtomicLong();

  /** The map's size at which {@link #store} next purges it. */
  private volatile int purgeAt = MAX_OUTSTANDING;

  /** When {@link #store} next purges, whatever the map's size. */
  private volatile Instant purgeAfter;

  private final Clock clock;

  /** For CDI. */
  public SocketTickets() {
    this(Clock.systemUTC());
  }

  SocketTickets(Clock clock) {
    this.clock = clock;
    this.purgeAfter = clock.instant().plus(PURGE_INTERVAL);
  }

  /**
   * What a redeemed ticket vouches for.
   *
   * @param expiresAt the ticket is refused after this instant
   * @param tokenExpiresAt the socket closes then: its authority came from that token
   * @param resumption whether the ticket came in a {@code ready} frame rather than from REST
   * @param chain the chain this ticket belongs to: its REST ticket and the resumptions since, which
   *     reuse of any of them ends together (unique on this node)
   */
  public record Ticket(
      String userId,
      String deviceId,
      Instant expiresAt,
      Instant tokenExpiresAt,
      boolean resumption,
      long chain) {}

  /** A ticket in {@link #outstanding}, and whether it has opened a socket. */
  private record Held(Ticket ticket, boolean spent) {}

  /**
   * What presenting a ticket came to: a grant; a refusal; or, for a ticket used before, a refusal
   * that also ended the ticket's chain. The caller then closes the chain's sockets ({@code
   * reused}'s device and chain), which hold the authority the copy was made from.
   *
   * @param grant the ticket's grant, or null when refused
   * @param reused the spent ticket presented again, or null
   */
  public record Redemption(Ticket grant, Ticket reused) {

    static final Redemption REFUSED = new Redemption(null, null);

    /** The grant, when the ticket opens a socket. */
    public Optional<Ticket> granted() {
      return Optional.ofNullable(grant);
    }

    /** The reused ticket (device, user, chain), when the presentation ended a chain. */
    public Optional<Ticket> reuse() {
      return Optional.ofNullable(reused);
    }
  }

  /** A fresh ticket for the device (the caller has proved it). */
  public String issue(String userId, String deviceId, Instant tokenExpiresAt) {
    Instant now = clock.instant();
    return store(
        new Ticket(
            userId,
            deviceId,
            earliest(now.plus(LIFETIME), tokenExpiresAt),
            tokenExpiresAt,
            false,
            chains.incrementAndGet()),
        now);
  }

  /**
   * A resumption ticket for the next socket of the device that {@code grant} opened this one for,
   * bound to the same user, device and token expiry; empty when the token has (nearly) expired, as
   * a ticket that could not be used before the token ends is not worth handing out; empty too when
   * the chain was ended by reuse or the device revoked.
   */
  public Optional<String> issueResumption(Ticket grant) {
    Instant now = clock.instant();
    Instant expiresAt = earliest(now.plus(RESUMPTION_LIFETIME), grant.tokenExpiresAt());
    if (!expiresAt.isAfter(now) || chainEnded(grant) || revokedOnThisNode(grant)) {
      return Optional.empty();
    }
    return Optional.of(
        store(
            new Ticket(
                grant.userId(),
                grant.deviceId(),
                expiresAt,
                grant.tokenExpiresAt(),
                true,
                grant.chain()),
            now));
  }

  /**
   * Presents a ticket: its grant the first time. Refused when unknown or expired; and when it was
   * used before (or is presented twice at once), refused with its chain ended — the chain's
   * outstanding ticket is invalidated, no resumption is issued to it any more, and the caller is to
   * close its sockets.
   */
  public Redemption redeem(String ticket) {
    if (ticket == null || ticket.length() > 100) {
      return Redemption.REFUSED;
    }
    String key = key(ticket);
    Held held = outstanding.get(key);
    if (held == null) {
      return Redemption.REFUSED;
    }
    if (expired(held.ticket(), clock.instant())) {
      // A copy presented after the ticket's time is refused like any stale ticket: it opens
      // nothing, and the chain it came from has at most the rest of its token's life.
      outstanding.remove(key, held);
      return Redemption.REFUSED;
    }
    if (held.spent() || !outstanding.replace(key, held, new Held(held.ticket(), true))) {
      // Used before, or by a concurrent presentation that won the replace: either way two parties
      // hold this secret, and the server cannot tell which is the device.
      endChain(held.ticket());
      return new Redemption(null, held.ticket());
    }
    return new Redemption(held.ticket(), null);
  }

  /**
   * Whether the grant's chain was ended by reuse: checked by a socket after it has registered, so
   * that a socket opened from the chain's last ticket while the reuse was being handled is closed
   * either by that handling or by this check.
   */
  public boolean chainEnded(Ticket grant) {
    return ended.containsKey(grant.chain());
  }

  /**
   * Records that the revocation of a device has committed: no resumption ticket of the device opens
   * a socket any more. The revocation's handler on this node calls it <em>before</em> it closes the
   * device's sockets, so that a resumed socket that registered before this call is closed by the
   * handler, and one that checks after it is refused (see {@link #revokedOnThisNode}).
   */
  public void deviceRevoked(String deviceId) {
    Instant keepAtLeastUntil = clock.instant().plus(RESUMPTION_LIFETIME);
    revokedDevices.merge(
        deviceId, keepAtLeastUntil, BinaryOperator.maxBy(Comparator.naturalOrder()));
  }

  /**
   * Whether the grant's device was revoked, as far as this node has heard. Enough for a resumption
   * ticket: its chain began with a REST ticket whose socket read the device from the database after
   * registering, every later ticket of the chain was issued on this node, and every revocation on
   * this node is recorded here before the device's sockets close. A revocation committed on another
   * node must reach this one as it must reach its sockets (the high-availability issue).
   */
  public boolean revokedOnThisNode(Ticket grant) {
    return revokedDevices.containsKey(grant.deviceId());
  }

  private void endChain(Ticket reused) {
    if (ended.putIfAbsent(reused.chain(), reused.tokenExpiresAt()) == null) {
      // The chain's tickets not yet used: the successor of the reused one, held by the socket
      // that the reuse is about to close. The spent ones stay, so that further replays are
      // recognised too.
      outstanding
          .values()
          .removeIf(other -> other.ticket().chain() == reused.chain() && !other.spent());
    }
  }

  private String store(Ticket grant, Instant now) {
    if (purgeDue(now)) {
      purge(now);
    }
    byte[] secret = new byte[TICKET_BYTES];
    FipsModule.random().nextBytes(secret);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    outstanding.put(key(ticket), new Held(grant, false));
    return ticket;
  }

  private boolean purgeDue(Instant now) {
    return outstanding.size() >= purgeAt || now.isAfter(purgeAfter);
  }

  /**
   * Drops expired tickets, ended chains and the revocation marks no longer needed. Runs once a
   * {@link #PURGE_INTERVAL}, and sooner when the map has doubled since the last purge (or reached
   * {@link #MAX_OUTSTANDING}): with spent tickets kept for up to five minutes, a node setting up
   * sockets fast holds more live tickets than that, and purging on every issue would scan them all
   * each time.
   */
  private synchronized void purge(Instant now) {
    if (!purgeDue(now)) {
      return; // another thread purged meanwhile
    }
    outstanding.values().removeIf(held -> expired(held.ticket(), now));
    ended.values().removeIf(until -> until.isBefore(now));
    forgetRevocationsNoTicketNames(now);
    purgeAt = Math.max(MAX_OUTSTANDING, 2 * outstanding.size());
    purgeAfter = now.plus(PURGE_INTERVAL);
  }

  /** How many tickets this node holds, spent ones included. For the tests. */
  int held() {
    return outstanding.size();
  }

  /**
   * Drops the marks of revoked devices that no held ticket names any more (and that are older than
   * a resumption ticket's life): a resumption ticket is only issued from one presented on this
   * node, so no ticket of such a device can appear again. Package-private for the tests; the purge
   * calls it.
   */
  void forgetRevocationsNoTicketNames(Instant now) {
    if (revokedDevices.isEmpty()) {
      return;
    }
    Set<String> named = new HashSet<>();
    for (Held held : outstanding.values()) {
      named.add(held.ticket().deviceId());
    }
    revokedDevices
        .entrySet()
        .removeIf(mark -> mark.getValue().isBefore(now) && !named.contains(mark.getKey()));
  }

  private static boolean expired(Ticket ticket, Instant now) {
    return ticket.expiresAt().isBefore(now);
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** Hashed, so that the map's lookups and a heap dump reveal no usable ticket. */
  private static String key(String ticket) {
    return Base64.getEncoder()
        .encodeToString(HashFunction.SHA384.digest(ticket.getBytes(StandardCharsets.US_ASCII)));
  }
}
