/**
 * Devices and their certificates: enrollment from a PKCS#10 request, the device certificate
 * profile, listing and revocation.
 *
 * <p>Invariants: the identity in a device certificate comes from the authenticated caller, never
 * from the request's subject; every certificate is for an EC P-384 key whose possession the request
 * proved; a device id belongs to one user and is never reused.
 */
package io.redoubt.devices;
