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
 * The mapping of a device's queue rows, for the JPQL statements that delete them (expired rows of a
 * full queue, a revoked device's purge, the expiry sweep) and that list a device's message ids. The
 * server never loads a row as this entity: rows are written in bulk and read over JDBC by {@link
 * DeviceQueues} (native multi-row inserts, as an envelope to a large group makes thousands; a
 * device's page joined to its envelopes).
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
}
