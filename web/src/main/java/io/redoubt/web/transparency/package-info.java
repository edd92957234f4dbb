/**
 * The transparency log's REST face: signed tree heads, entries, inclusion and consistency proofs.
 * Thin: parameters in, a call to {@code io.redoubt.transparency}, JSON out.
 */
package io.redoubt.web.transparency;
