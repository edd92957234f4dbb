package io.redoubt.protocol.api;

/**
 * One device as its owner (or an administrator) sees it.
 *
 * @param certificatePem the device certificate; on enrollment followed by the CA's, as a chain
 * @param issuedLogIndex the transparency-log leaf that records the certificate's issue
 * @param revokedLogIndex the leaf that records its revocation; null while active
 */
public record DeviceResponse(
    String deviceId,
    String name,
    String status,
    String enrolledAt,
    String revokedAt,
    String certificatePem,
    long issuedLogIndex,
    Long revokedLogIndex) {}
