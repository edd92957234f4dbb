package io.redoubt.messaging;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An envelope as stored: once, whatever the number of recipients. Ciphertext only. The mapping is
 * for the JPQL statement that deletes expired envelopes; envelopes are written and read over JDBC
 * ({@link Mailroom}, {@link DeviceQueues}).
 */
@Entity
@Table(name = "envelope")
public class StoredEnvelope {

  @Id
  @Column(name = "message_id", length = 36)
  private String messageId;

  @Column(name = "conversation_id", nullable = false, updatable = false, length = 36)
  private String conversationId;

  @Column(name = "sender_user_id", nullable = false, updatable = false)
  private String senderUserId;

  @Column(name = "sender_device_id", nullable = false, updatable = false, length = 36)
  private String senderDeviceId;

  @Lob
  @Column(nullable = false, updatable = false)
  private byte[] body;

  @Column(nullable = false, updatable = false)
  private int recipients;

  @Column(name = "received_at", nullable = false, updatable = false)
  private Instant receivedAt;

  @Column(name = "expires_at", nullable = false, updatable = false)
  private Instant expiresAt;

  protected StoredEnvelope() {}
}
