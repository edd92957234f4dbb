/**
 * The device's own keys: its identity key (ECDSA P-384) lives in a BCFKS key store under the
 * profile, protected by a passphrase, and never leaves the device in clear. Enrollment sends a
 * PKCS#10 request whose signature proves possession of the key; the CA-issued chain then replaces
 * the placeholder certificate stored beside the key.
 */
package io.redoubt.client.device;
