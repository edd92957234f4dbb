/**
 * The key-transparency log's data as clients see it: leaves and tree heads, with the TBS encodings
 * that the server hashes and signs and that clients recompute.
 *
 * <p>Invariants: a leaf's bytes are exactly {@link io.redoubt.protocol.transparency.LogLeaf#encode}
 * of its fields; a signed tree head's signature covers exactly {@link
 * io.redoubt.protocol.transparency.TreeHead#encode}.
 */
package io.redoubt.protocol.transparency;
