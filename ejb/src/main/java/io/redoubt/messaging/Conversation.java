package io.redoubt.messaging;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** A conversation; its members are {@link ConversationMember} rows. */
@Entity
@Table(name = "conversation")
@NamedQuery(
    name = Conversation.OF_USER,
    query =
        "SELECT c FROM Conversation c WHERE c.conversationId IN"
            + " (SELECT m.conversationId FROM ConversationMember m WHERE m.userId = :userId)"
            + " ORDER BY c.createdAt")
@NamedQuery(
    name = Conversation.BY_DIRECT_PAIR,
    query = "SELECT c FROM Conversation c WHERE c.directPair = :pair")
public class Conversation {

  static final String OF_USER = "Conversation.ofUser";
  static final String BY_DIRECT_PAIR = "Conversation.byDirectPair";

  @Id
  @Column(name = "conversation_id", length = 36)
  private String conversationId;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 8, updatable = false)
  private ConversationKind kind;

  @Column(length = 200)
  private String name;

  @Column(name = "direct_pair", length = 520, updatable = false)
  private String directPair;

  @Column(name = "default_lifetime_seconds", nullable = false)
  private long defaultLifetimeSeconds;

  @Column(name = "created_by", nullable = false, updatable = false)
  private String createdBy;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  protected Conversation() {}

  private Conversation(
      ConversationKind kind,
      String name,
      String directPair,
      Duration defaultLifetime,
      String createdBy,
      Instant createdAt) {
    this.conversationId = UUID.randomUUID().toString();
    this.kind = kind;
    this.name = name;
    this.directPair = directPair;
    this.defaultLifetimeSeconds = defaultLifetime.toSeconds();
    this.createdBy = createdBy;
    this.createdAt = createdAt;
  }

  static Conversation direct(
      String userA, String userB, Duration defaultLifetime, String createdBy, Instant now) {
    return new Conversation(
        ConversationKind.DIRECT, null, pair(userA, userB), defaultLifetime, createdBy, now);
  }

  static Conversation group(String name, Duration defaultLifetime, String createdBy, Instant now) {
    return new Conversation(ConversationKind.GROUP, name, null, defaultLifetime, createdBy, now);
  }

  /** The unique key of the direct conversation between two users, whoever created it. */
  static String pair(String userA, String userB) {
    return String.join("\n", Stream.of(userA, userB).sorted(Comparator.naturalOrder()).toList());
  }

  void rename(String newName) {
    this.name = newName;
  }

  void setDefaultLifetime(Duration lifetime) {
    this.defaultLifetimeSeconds = lifetime.toSeconds();
  }

  public String conversationId() {
    return conversationId;
  }

  public ConversationKind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public Duration defaultLifetime() {
    return Duration.ofSeconds(defaultLifetimeSeconds);
  }

  public String createdBy() {
    return createdBy;
  }

  public Instant createdAt() {
    return createdAt;
  }
}
