package io.redoubt.protocol.api;

import java.util.List;

/**
 * A page of a device's queue, oldest first.
 *
 * @param more whether items after the last one wait
 */
public record QueueResponse(List<QueueItem> items, boolean more) {}
