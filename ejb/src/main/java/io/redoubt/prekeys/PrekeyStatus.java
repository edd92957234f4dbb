package io.redoubt.prekeys;

import java.time.Instant;

/**
 * A device's prekey stock.
 *
 * @param oneTimeRemaining unclaimed, unexpired one-time prekeys
 * @param signedPrekeyId the current signed prekey
 * @param signedPrekeyExpiresAt when it expires
 */
public record PrekeyStatus(
    String deviceId, int oneTimeRemaining, long signedPrekeyId, Instant signedPrekeyExpiresAt) {}
