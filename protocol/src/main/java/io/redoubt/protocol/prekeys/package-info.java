/**
 * Prekeys: ECDH P-384 public keys a device publishes so that senders can seal message keys to it
 * while it is offline. Each is signed by the device's identity key over {@code
 * TBS(redoubt/v1/prekey, device id, prekey id, public key, expiry)}, so the server can store and
 * hand them out but cannot substitute its own.
 */
package io.redoubt.protocol.prekeys;
