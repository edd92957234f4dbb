package io.redoubt.web.errors;

/** The {@code WWW-Authenticate} challenge of RFC 6750 for this API. */
final class BearerChallenge {
  static final String VALUE = "Bearer realm=\"redoubt\"";

  private BearerChallenge() {}
}
