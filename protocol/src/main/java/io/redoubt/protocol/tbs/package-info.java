/**
 * To-be-signed encodings: the explicit, versioned, length-prefixed bytes that signatures and HPKE
 * info cover (PROTOCOL.md: never sign JSON text).
 *
 * <p>Invariants: the encoding is injective over (label, fields); every structure has its own label
 * from {@link io.redoubt.protocol.tbs.TbsLabel}.
 */
package io.redoubt.protocol.tbs;
