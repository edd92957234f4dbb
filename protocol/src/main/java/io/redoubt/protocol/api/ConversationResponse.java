package io.redoubt.protocol.api;

import java.util.List;

/**
 * A conversation as its members see it.
 *
 * @param kind {@code direct} or {@code group}
 * @param name a group's name; null for a direct conversation
 * @param createdAt ISO-8601 instant
 * @param defaultLifetimeSeconds the lifetime clients give messages by default
 * @param maxLifetimeSeconds the most the server accepts (policy)
 * @param members current members
 */
public record ConversationResponse(
    String id,
    String kind,
    String name,
    String createdAt,
    long defaultLifetimeSeconds,
    long maxLifetimeSeconds,
    List<Member> members) {

  /**
   * One member.
   *
   * @param role {@code admin} or {@code member}
   */
  public record Member(String userId, String username, String role) {}
}
