package io.redoubt.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One record of the audit trail; never changed once written. Nothing reads it back yet: the audit
 * issue adds the reading, chaining and export.
 */
@Entity
@Table(name = "audit_event")
public class AuditEvent {

  /** What happened. */
  public enum Type {
    /** A user lost access: DISABLED or REMOVED, devices revoked, conversations left. */
    USER_OFFBOARDED
  }

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "occurred_at", nullable = false)
  private Instant occurredAt;

  @Column(name = "event_type", nullable = false, length = 64)
  private String type;

  @Column(name = "actor", nullable = false, length = 255)
  private String actor;

  @Column(name = "subject_user_id", length = 255)
  private String subjectUserId;

  @Column(name = "subject_username", length = 255)
  private String subjectUsername;

  @Column(name = "run_id")
  private Long runId;

  @Column(name = "detail", length = 1000)
  private String detail;

  protected AuditEvent() {}

  AuditEvent(
      Instant occurredAt,
      Type type,
      String actor,
      String subjectUserId,
      String subjectUsername,
      Long runId,
      String detail) {
    this.occurredAt = occurredAt;
    this.type = type.name();
    this.actor = actor;
    this.subjectUserId = subjectUserId;
    this.subjectUsername = subjectUsername;
    this.runId = runId;
    this.detail = detail;
  }
}
