package io.redoubt.prekeys;

import io.redoubt.protocol.prekeys.SignedPrekey;

/**
 * The prekey a sender got for one device.
 *
 * @param oneTime true for a one-time prekey (now removed from the server); false for the device's
 *     signed prekey, the fallback when no one-time prekey was left
 */
public record ClaimedPrekey(SignedPrekey prekey, boolean oneTime) {}
