package io.redoubt.client;

import java.time.Instant;

/**
 * A bearer token from the organisation's identity provider.
 *
 * @param value the compact JWS; never logged ({@link #toString()} hides it)
 * @param expiresAt when the provider said it stops working
 */
public record AccessToken(String value, Instant expiresAt) {

  /** The {@code Authorization} header value. */
  public String authorization() {
    return "Bearer " + value;
  }

  @Override
  public String toString() {
    return "AccessToken[expiresAt=" + expiresAt + "]";
  }
}
