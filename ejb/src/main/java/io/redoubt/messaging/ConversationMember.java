package io.redoubt.messaging;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A current member of a conversation. */
@Entity
@Table(name = "conversation_member")
@IdClass(ConversationMember.Key.class)
@NamedQuery(
    name = ConversationMember.OF_CONVERSATION,
    query =
        "SELECT m FROM ConversationMember m WHERE m.conversationId = :conversationId"
            + " ORDER BY m.joinedAt, m.userId")
@NamedQuery(
    name = ConversationMember.COUNT,
    query = "SELECT COUNT(m) FROM ConversationMember m WHERE m.conversationId = :conversationId")
@NamedQuery(
    name = ConversationMember.OF_USER,
    query = "SELECT m FROM ConversationMember m WHERE m.userId = :userId")
public class ConversationMember {

  static final String OF_CONVERSATION = "ConversationMember.ofConversation";
  static final String COUNT = "ConversationMember.count";
  static final String OF_USER = "ConversationMember.ofUser";

  @Id
  @Column(name = "conversation_id", length = 36)
  private String conversationId;

  @Id
  @Column(name = "user_id")
  private String userId;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 8)
  private MemberRole role;

  @Column(name = "joined_at", nullable = false, updatable = false)
  private Instant joinedAt;

  protected ConversationMember() {}

  ConversationMember(String conversationId, String userId, MemberRole role, Instant joinedAt) {
    this.conversationId = conversationId;
    this.userId = userId;
    this.role = role;
    this.joinedAt = joinedAt;
  }

  void promote() {
    this.role = MemberRole.ADMIN;
  }

  public String conversationId() {
    return conversationId;
  }

  public String userId() {
    return userId;
  }

  public MemberRole role() {
    return role;
  }

  public Instant joinedAt() {
    return joinedAt;
  }

  /** The composite primary key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    private String conversationId;
    private String userId;

    public Key() {}

    Key(String conversationId, String userId) {
      this.conversationId = conversationId;
      this.userId = userId;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key that
          && Objects.equals(conversationId, that.conversationId)
          && Objects.equals(userId, that.userId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(conversationId, userId);
    }
  }
}
