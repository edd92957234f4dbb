package io.redoubt.protocol.api;

/**
 * One transparency-log entry: the leaf bytes the tree hashes and their decoded fields. A client
 * recomputes the leaf from the fields ({@code LogLeaf.encode()}) and checks it equals {@code leaf}.
 *
 * @param leaf base64url of the leaf bytes
 * @param kind {@code certificate-issued}, {@code certificate-revoked} or {@code
 *     archiver-key-changed}
 * @param certificateSha384 base64url of the certificate's SHA-384
 * @param timestamp epoch milliseconds
 */
public record LogEntryResponse(
    long index,
    String leaf,
    String kind,
    String userId,
    String deviceId,
    String certificateSha384,
    long timestamp) {}
