package io.redoubt.protocol.api;

/**
 * One item of a device's queue: an envelope or a control message.
 *
 * @param seq the item's position in this device's queue; acknowledge by it
 * @param kind {@code envelope} or {@code control}
 * @param receivedAt ISO-8601 instant the server stored it
 */
public record QueueItem(
    long seq, String kind, String receivedAt, EnvelopeMessage envelope, ControlMessage control) {}
