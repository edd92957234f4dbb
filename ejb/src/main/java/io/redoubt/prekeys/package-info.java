/**
 * Prekeys: the signed prekey and one-time prekeys a device publishes so that others can seal
 * messages to it while it is offline (PROTOCOL.md, "Prekeys").
 *
 * <p>Invariants: every stored prekey verified under its device's certified identity key when it
 * arrived; prekey ids only grow per device, so a claimed one-time prekey is never served again; a
 * claim deletes the one-time prekey in the claimer's transaction, and concurrent claimers skip each
 * other's locked rows, so two claimers never receive the same key; a revoked device has none.
 */
package io.redoubt.prekeys;
