/**
 * Trusting other people's devices: {@link io.redoubt.client.directory.DeviceVerifier} checks one
 * device certificate against the pinned CA and the transparency log; {@link
 * io.redoubt.client.directory.PeerDevices} applies it to a directory answer. Messaging uses these
 * before it encrypts to anyone.
 *
 * <p>Invariant: a device is used only after its chain, its names, its log entry and the entry's
 * inclusion in a signed, consistent head have all verified; a rejected device is never recorded.
 */
package io.redoubt.client.directory;
