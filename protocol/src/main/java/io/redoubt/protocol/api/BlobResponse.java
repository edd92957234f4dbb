package io.redoubt.protocol.api;

/**
 * The answer to {@code POST /api/v1/blobs}: the stored ciphertext's id, size and SHA-384
 * (base64url, no padding), so that the uploader can check that the server holds exactly what it
 * sent.
 */
public record BlobResponse(String blobId, long size, String sha384) {}
