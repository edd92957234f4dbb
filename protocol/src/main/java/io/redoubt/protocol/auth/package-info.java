/**
 * Proof that a request comes from a device: the device identity key signs the method, path, time
 * and the hash of the bearer token (docs: messaging, "Request proofs").
 */
package io.redoubt.protocol.auth;
