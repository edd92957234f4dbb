package io.redoubt.protocol.api;

import java.util.List;

/**
 * Creates a conversation: {@code {"kind":"direct","with":"bob"}} or {@code
 * {"kind":"group","name":"Ops","members":["bob","carol"]}}. Members are login names; the caller is
 * always a member (and a group's first admin).
 *
 * @param kind {@code direct} or {@code group}
 * @param with the other user of a direct conversation
 * @param name a group's name
 * @param members a group's other members
 * @param defaultLifetimeSeconds the lifetime clients give messages unless they choose another
 *     (bounded by policy); null for the server's default
 */
public record ConversationRequest(
    String kind, String with, String name, List<String> members, Long defaultLifetimeSeconds) {}
