package io.redoubt.protocol.api;

import java.util.List;

/**
 * RFC 9162 inclusion proof of leaf {@code index} in the tree of {@code treeSize} leaves, from the
 * leaf upwards, each hash base64url.
 */
public record InclusionProofResponse(long index, long treeSize, List<String> auditPath) {}
