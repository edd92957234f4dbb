package io.redoubt.devices;

/** A device's standing. Revocation is final: a revoked device never becomes active again. */
public enum DeviceStatus {
  ACTIVE,
  REVOKED
}
