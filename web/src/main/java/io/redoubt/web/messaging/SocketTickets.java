package io.redoubt.web.messaging;

import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.crypto.HashFunction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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

  private final Map<String, Ticket> outstanding = new ConcurrentHashMap<>();
  private final Clock clock;

  /** For CDI. */
  public SocketTickets() {
    this(Clock.systemUTC());
  }

  SocketTickets(Clock clock) {
    this.clock = clock;
  }

  /**
   * What a redeemed ticket vouches for.
   *
   * @param expiresAt the ticket is refused after this instant
   * @param tokenExpiresAt the socket closes then: its authority came from that token
   * @param resumption whether the ticket came in a {@code ready} frame rather than from REST
   */
  public record Ticket(
      String userId,
      String deviceId,
      Instant expiresAt,
      Instant tokenExpiresAt,
      boolean resumption) {}

  /** A fresh ticket for the device (the caller has proved it). */
  public String issue(String userId, String deviceId, Instant tokenExpiresAt) {
    Instant now = clock.instant();
    return store(
        new Ticket(
            userId, deviceId, earliest(now.plus(LIFETIME), tokenExpiresAt), tokenExpiresAt, false),
        now);
  }

  /**
   * A resumption ticket for the next socket of the device that {@code grant} opened this one for,
   * bound to the same user, device and token expiry; empty when the token has (nearly) expired, as
   * a ticket that could not be used before the token ends is not worth handing out.
   */
  public Optional<String> issueResumption(Ticket grant) {
    Instant now = clock.instant();
    Instant expiresAt = earliest(now.plus(RESUMPTION_LIFETIME), grant.tokenExpiresAt());
    if (!expiresAt.isAfter(now)) {
      return Optional.empty();
    }
    return Optional.of(
        store(
            new Ticket(grant.userId(), grant.deviceId(), expiresAt, grant.tokenExpiresAt(), true),
            now));
  }

  /**
   * The ticket's grant, once: a second redemption, or one after the ticket's expiry, finds nothing.
   */
  public Optional<Ticket> redeem(String ticket) {
    if (ticket == null || ticket.length() > 100) {
      return Optional.empty();
    }
    Ticket grant = outstanding.remove(key(ticket));
    if (grant == null || expired(grant, clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(grant);
  }

  private String store(Ticket grant, Instant now) {
    if (outstanding.size() >= MAX_OUTSTANDING) {
      outstanding.values().removeIf(t -> expired(t, now));
    }
    byte[] secret = new byte[TICKET_BYTES];
    FipsModule.random().nextBytes(secret);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    outstanding.put(key(ticket), grant);
    return ticket;
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
