package io.redoubt.protocol.api;

/**
 * The server's answer once an envelope is durably stored (201), or was already (200, a retry).
 *
 * @param receivedAt ISO-8601 instant the server first stored it
 * @param expiresAt ISO-8601 instant every copy is deleted
 * @param recipients how many device queues it was put in
 */
public record MessageAccepted(
    String messageId, String receivedAt, String expiresAt, int recipients) {}
