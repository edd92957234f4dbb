/**
 * Conversations, envelopes and the per-device queues (docs/messaging): the server checks who may
 * send what to whom, stores ciphertext once and a queue row per recipient device, and forgets it on
 * acknowledgement or expiry.
 */
package io.redoubt.messaging;
