package io.redoubt.protocol.api;

/**
 * A single-use ticket that opens one {@code /ws} socket for the device that proved the request.
 *
 * @param ticket base64url, secret: send it in the socket's {@code hello} frame, never in a URL
 * @param expiresAt ISO-8601; a ticket is good for 30 seconds
 */
public record SocketTicketResponse(String ticket, String expiresAt) {}
