package io.redoubt.web.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Per-device (or per-user) token buckets for the actions that cost the server or others something:
 * sending envelopes, and claiming prekeys (each claim uses up colleagues' one-time prekeys; a
 * request that claims for a whole conversation counts once, as a send does).
 *
 * <p>Buckets live in this node's memory: a client spread over several nodes gets each node's
 * allowance, which bounds abuse by the number of nodes — acceptable for limits meant to stop
 * runaway clients and scripts, not to meter. Idle buckets are dropped once the map grows.
 */
@ApplicationScoped
public class RateLimits {

  /** What is limited, with its sustained rate and burst. */
  public enum Action {
    SEND("messages"),
    CLAIM("prekey claims");

    private final String noun;

    Action(String noun) {
      this.noun = noun;
    }
  }

  private static final int MAX_BUCKETS = 100_000;

  @Inject
  @ConfigProperty(name = "redoubt.messaging.sends-per-minute", defaultValue = "600")
  int sendsPerMinute;

  @Inject
  @ConfigProperty(name = "redoubt.messaging.send-burst", defaultValue = "120")
  int sendBurst;

  @Inject
  @ConfigProperty(name = "redoubt.messaging.claims-per-minute", defaultValue = "600")
  int claimsPerMinute;

  @Inject
  @ConfigProperty(name = "redoubt.messaging.claim-burst", defaultValue = "120")
  int claimBurst;

  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private LongSupplier nanoClock = System::nanoTime;

  @PostConstruct
  void validate() {
    if (sendsPerMinute < 1 || sendBurst < 1 || claimsPerMinute < 1 || claimBurst < 1) {
      throw new IllegalStateException("redoubt.messaging rate limits must be at least 1");
    }
  }

  /**
   * Takes {@code cost} tokens for {@code action} by {@code who}.
   *
   * @throws RateLimitedException when the bucket cannot pay, with the seconds until it can
   */
  public void take(Action action, String who, int cost) throws RateLimitedException {
    if (buckets.size() > MAX_BUCKETS) {
      long now = nanoClock.getAsLong();
      buckets.values().removeIf(bucket -> bucket.isFull(now));
    }
    TokenBucket bucket =
        buckets.computeIfAbsent(
            action + "/" + who,
            key ->
                action == Action.SEND
                    ? new TokenBucket(sendBurst, sendsPerMinute / 60.0, nanoClock)
                    : new TokenBucket(claimBurst, claimsPerMinute / 60.0, nanoClock));
    long waitNanos = bucket.take(Math.max(1, cost));
    if (waitNanos > 0) {
      throw new RateLimitedException(
          action.noun, Math.max(1, (waitNanos + 999_999_999) / 1_000_000_000));
    }
  }

  /** For tests: a controllable clock. */
  void useClock(LongSupplier nanos) {
    this.nanoClock = nanos;
    buckets.clear();
  }

  /** A token bucket: {@code capacity} tokens, refilled at {@code perSecond}. */
  static final class TokenBucket {
    private final double capacity;
    private final double perNano;
    private final LongSupplier clock;
    private double tokens;
    private long updated;

    TokenBucket(int capacity, double perSecond, LongSupplier clock) {
      this.capacity = capacity;
      this.perNano = perSecond / 1e9;
      this.clock = clock;
      this.tokens = capacity;
      this.updated = clock.getAsLong();
    }

    /** Zero when paid; otherwise the nanoseconds until {@code cost} tokens will be there. */
    synchronized long take(int cost) {
      refill(clock.getAsLong());
      if (cost > capacity) {
        // A single request bigger than the burst can never be paid: let it wait a full refill.
        return (long) (capacity / perNano);
      }
      if (tokens >= cost) {
        tokens -= cost;
        return 0;
      }
      return (long) Math.ceil((cost - tokens) / perNano);
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= capacity;
    }

    private void refill(long now) {
      tokens = Math.min(capacity, tokens + (now - updated) * perNano);
      updated = now;
    }
  }
}
