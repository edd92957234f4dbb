/**
 * The key-transparency log (PROTOCOL.md "Key transparency log"): an append-only RFC 9162 Merkle
 * tree over SHA-384 of certificate events, with tree heads signed by the HSM log key.
 *
 * <p>Invariants: leaf indexes are dense and never reused (appends lock the single state row);
 * stored leaves and subtree hashes are never changed; a perfect subtree's hash is stored in the
 * transaction that appends its last leaf; roots and proofs are assembled from stored hashes only,
 * with one database query per answer ({@link io.redoubt.transparency.LogProofs}).
 */
package io.redoubt.transparency;
