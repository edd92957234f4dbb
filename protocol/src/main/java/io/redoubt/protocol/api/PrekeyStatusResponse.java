package io.redoubt.protocol.api;

/**
 * What a device needs to know to keep its prekeys stocked.
 *
 * @param oneTimeRemaining unclaimed, unexpired one-time prekeys on the server
 * @param replenishBelow the device should upload more when {@code oneTimeRemaining} falls below
 *     this
 * @param signedPrekeyId the signed prekey senders fall back to
 * @param signedPrekeyExpiresAt its expiry, epoch seconds; rotate well before
 */
public record PrekeyStatusResponse(
    String deviceId,
    int oneTimeRemaining,
    int replenishBelow,
    long signedPrekeyId,
    long signedPrekeyExpiresAt) {}
