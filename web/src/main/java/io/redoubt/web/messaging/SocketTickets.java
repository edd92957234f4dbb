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
 * Single-use tickets that open a socket. A device gets one over REST — where the bearer token, the
 * account status and the device proof are checked by the same filters as every other request — and
 * presents it in the socket's first frame. Browsers cannot set headers on a WebSocket, and a ticket
 * in a frame never lands in an access log the way a token in a URL would.
 *
 * <p>Kept in this node's memory, hashed, for {@link #LIFETIME}: a socket must open on the node that
 * issued its ticket (the balancer's WebSocket affinity, or a retry).
 */
@ApplicationScoped
public class SocketTickets {

  /** How long a ticket may wait to be used. */
  static final Duration LIFETIME = Duration.ofSeconds(30);

  private static final int TICKET_BYTES = 32;
  private static final int MAX_OUTSTANDING = 100_000;

  private final Map<String, Ticket> outstanding = new ConcurrentHashMap<>();
  private final Clock clock = Clock.systemUTC();

  /**
   * What a redeemed ticket vouches for.
   *
   * @param tokenExpiresAt the socket closes then: its authority came from that token
   */
  public record Ticket(String userId, String deviceId, Instant issuedAt, Instant tokenExpiresAt) {}

  /** A fresh ticket for the device (the caller has proved it). */
  public String issue(String userId, String deviceId, Instant tokenExpiresAt) {
    Instant now = clock.instant();
    if (outstanding.size() >= MAX_OUTSTANDING) {
      outstanding.values().removeIf(t -> expired(t, now));
    }
    byte[] secret = new byte[TICKET_BYTES];
    FipsModule.random().nextBytes(secret);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    outstanding.put(key(ticket), new Ticket(userId, deviceId, now, tokenExpiresAt));
    return ticket;
  }

  /** The ticket's grant, once: a second redemption, or one after 30 seconds, finds nothing. */
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

  private static boolean expired(Ticket ticket, Instant now) {
    return ticket.issuedAt().plus(LIFETIME).isBefore(now) || ticket.tokenExpiresAt().isBefore(now);
  }

  /** Hashed, so that the map's lookups and a heap dump reveal no usable ticket. */
  private static String key(String ticket) {
    return Base64.getEncoder()
        .encodeToString(HashFunction.SHA384.digest(ticket.getBytes(StandardCharsets.US_ASCII)));
  }
}
