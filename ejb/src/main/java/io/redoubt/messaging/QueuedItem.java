package io.redoubt.messaging;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One row of a device's queue. Rows are written in bulk by {@link DeviceQueues} (native multi-row
 * inserts: an envelope to a large group makes thousands) and read over JDBC too (a device's page is
 * joined to its envelopes); deleted through this entity.
 */
@Entity
@Table(name = "queue_item")
public class QueuedItem {

  @Id private long seq;

  @Column(name = "device_id", nullable = false, updatable = false, length = 36)
  private String deviceId;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, updatable = false, length = 8)
  private QueueItemKind kind;

  @Column(name = "message_id", updatable = false, length = 36)
  private String messageId;

  @Lob
  @Column(name = "control_body", updatable = false)
  private byte[] controlBody;

  @Column(name = "enqueued_at", nullable = false, updatable = false)
  private Instant enqueuedAt;

  @Column(name = "expires_at", nullable = false, updatable = false)
  private Instant expiresAt;

  protected QueuedItem() {}

  public long seq() {
    return seq;
  }

  public String deviceId() {
    return deviceId;
  }

  public QueueItemKind kind() {
    return kind;
  }

  /** The envelope's id, for {@link QueueItemKind#ENVELOPE} rows. */
  public String messageId() {
    return messageId;
  }

  /** The control message's JSON, for {@link QueueItemKind#CONTROL} rows. */
  public byte[] controlBody() {
    return controlBody == null ? null : controlBody.clone();
  }

  public Instant enqueuedAt() {
    return enqueuedAt;
  }

  public Instant expiresAt() {
    return expiresAt;
  }
}
