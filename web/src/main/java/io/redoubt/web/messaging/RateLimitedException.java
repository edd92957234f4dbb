package io.redoubt.web.messaging;

/** A device (or user) went over a rate limit; it may try again after {@link #retryAfterSeconds}. */
public class RateLimitedException extends Exception {

  private static final long serialVersionUID = 1L;

  private final long retryAfterSeconds;

  RateLimitedException(String what, long retryAfterSeconds) {
    super("Too many " + what + "; try again in " + retryAfterSeconds + " s.");
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
