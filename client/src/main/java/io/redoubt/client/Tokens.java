package io.redoubt.client;

import java.time.Instant;

/**
 * What a sign-in yields: the access token for API calls and, where the provider issued one, the
 * refresh token that renews it without asking the person again.
 *
 * @param refreshToken may be null; never logged ({@link #toString()} hides it)
 * @param refreshExpiresAt when the refresh token stops working; null if unknown
 */
public record Tokens(AccessToken access, String refreshToken, Instant refreshExpiresAt) {

  /** True when a refresh token exists and has not expired at {@code now}. */
  public boolean canRefresh(Instant now) {
    return refreshToken != null && (refreshExpiresAt == null || now.isBefore(refreshExpiresAt));
  }

  @Override
  public String toString() {
    return "Tokens[" + access + ", refreshable=" + (refreshToken != null) + "]";
  }
}
