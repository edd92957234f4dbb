package io.redoubt.protocol.api;

import java.util.List;

/**
 * A membership change, written by the server into every member's device queues (and the removed
 * member's). Not signed by a device: clients take whom to encrypt for from the server's recipient
 * answer and trust each device only through its certificate and the log.
 *
 * @param type {@code created}, {@code members-added}, {@code member-removed}, {@code member-left},
 *     {@code updated}
 * @param userIds the users the change is about
 * @param byUserId who made the change
 * @param at ISO-8601 instant
 */
public record ControlMessage(
    String type,
    String conversationId,
    String conversationName,
    List<String> userIds,
    String byUserId,
    String at) {}
