/**
 * The key-transparency Merkle tree of RFC 9162 (§2.1), generic over the hash: tree heads, inclusion
 * and consistency proofs, and their verification.
 *
 * <p>Invariants: leaf and node hashes are domain-separated (0x00 / 0x01); proof generation reads
 * subtree hashes through {@link io.redoubt.protocol.merkle.SubtreeHashes} so the server can serve
 * proofs from stored hashes; verification never throws on untrusted input, it returns false.
 */
package io.redoubt.protocol.merkle;
