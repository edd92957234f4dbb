package io.redoubt.protocol.api;

/**
 * A signed tree head of the transparency log. The signature (ECDSA P-384/SHA-384, DER) covers
 * {@code TreeHead(treeSize, rootHash, timestamp).encode()}, and verifies with the certificate
 * {@code /api/v1/info} publishes as {@code transparencyLogCertificatePem}.
 *
 * @param rootHash base64url (no padding) of the 48-byte SHA-384 root
 * @param timestamp when the head was signed, epoch milliseconds (the value that is signed)
 * @param signature base64url of the DER signature
 * @param keyFingerprintSha384 lower-case hex SHA-384 of the log key certificate
 */
public record TreeHeadResponse(
    long treeSize,
    String rootHash,
    long timestamp,
    String signature,
    String keyFingerprintSha384) {}
