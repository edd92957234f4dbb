package io.redoubt.protocol.api;

import java.util.List;

/**
 * {@code POST /api/v1/devices/{id}/prekeys}: one-time prekeys to add, at most 100 a request, each
 * signed by the device's identity key.
 */
public record PrekeyUploadRequest(List<PublishedPrekey> oneTimePrekeys) {}
