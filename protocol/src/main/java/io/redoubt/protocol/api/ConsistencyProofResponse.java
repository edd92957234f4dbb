package io.redoubt.protocol.api;

import java.util.List;

/**
 * RFC 9162 consistency proof between the trees of {@code from} and {@code to} leaves, each hash
 * base64url.
 */
public record ConsistencyProofResponse(long from, long to, List<String> proof) {}
