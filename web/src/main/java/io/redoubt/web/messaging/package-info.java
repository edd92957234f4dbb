/**
 * The messaging edge (docs/messaging): device proofs, conversations, envelopes in, queues out over
 * REST and the {@code /ws} socket.
 */
package io.redoubt.web.messaging;
