package io.redoubt.client.directory;

import java.security.cert.X509Certificate;

/**
 * A device whose certificate passed every check: it chains to the pinned organisation CA, names its
 * user and device, and its issue is in the signed transparency log.
 *
 * @param certificateSha384 base64url SHA-384 of the DER certificate, as in log entries
 */
public record VerifiedDevice(
    String userId,
    String deviceId,
    X509Certificate certificate,
    String certificateSha384,
    long issuedLogIndex) {}
