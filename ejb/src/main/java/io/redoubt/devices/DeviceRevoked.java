package io.redoubt.devices;

/**
 * A CDI event fired inside the transaction that revokes a device, so that observers' work (the
 * device's queue purged, its sockets closed after commit) stands or falls with the revocation.
 */
public record DeviceRevoked(String deviceId, String userId) {}
