-- Conversations, their members, envelopes and the per-device queues (issue 4, docs/messaging).
-- The server keeps ciphertext only: an envelope's body is the wire form the sender posted, sealed
-- content and wrapped keys; nothing here can be read without a recipient device's prekey.

CREATE TABLE conversation (
  conversation_id          CHAR(36)     NOT NULL,
  -- DIRECT: exactly two users, for ever. GROUP: named, up to the member limit, with admins.
  kind                     VARCHAR(8)   NOT NULL,
  name                     VARCHAR(200) NULL,
  -- For DIRECT only: the two user ids, sorted, joined by a newline. Unique, so that two
  -- concurrent "create direct with bob" requests end in one conversation.
  direct_pair              VARCHAR(520) NULL,
  default_lifetime_seconds BIGINT       NOT NULL,
  created_by               VARCHAR(255) NOT NULL,
  created_at               TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (conversation_id),
  UNIQUE KEY uk_conversation_direct_pair (direct_pair),
  CONSTRAINT ck_conversation_kind CHECK (kind IN ('DIRECT', 'GROUP'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Current members. A member who leaves or is removed loses the row; the control messages in the
-- device queues are the history clients see.
CREATE TABLE conversation_member (
  conversation_id CHAR(36)     NOT NULL,
  user_id         VARCHAR(255) NOT NULL,
  role            VARCHAR(8)   NOT NULL,
  joined_at       TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (conversation_id, user_id),
  KEY ix_conversation_member_user (user_id),
  CONSTRAINT fk_conversation_member FOREIGN KEY (conversation_id)
    REFERENCES conversation (conversation_id),
  CONSTRAINT ck_conversation_member_role CHECK (role IN ('ADMIN', 'MEMBER'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per message, stored once whatever the number of recipients.
CREATE TABLE envelope (
  message_id       CHAR(36)     NOT NULL,
  conversation_id  CHAR(36)     NOT NULL,
  sender_user_id   VARCHAR(255) NOT NULL,
  sender_device_id CHAR(36)     NOT NULL,
  -- The envelope's JSON wire form (EnvelopeMessage): ciphertext, wrapped keys, signature.
  body             LONGBLOB     NOT NULL,
  -- SHA-384 over the signed bytes and the signature: a retry matches it, a replay does not.
  fingerprint      BINARY(48)   NOT NULL,
  recipients       INT          NOT NULL,
  received_at      TIMESTAMP(6) NOT NULL,
  expires_at       TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (message_id),
  KEY ix_envelope_expires (expires_at),
  KEY ix_envelope_conversation (conversation_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- What each device has still to receive, in order. An acknowledged row is deleted; an envelope
-- goes once no row refers to it. Control rows carry the server's own membership notice.
CREATE TABLE queue_item (
  seq          BIGINT       NOT NULL AUTO_INCREMENT,
  device_id    CHAR(36)     NOT NULL,
  kind         VARCHAR(8)   NOT NULL,
  message_id   CHAR(36)     NULL,
  control_body BLOB         NULL,
  enqueued_at  TIMESTAMP(6) NOT NULL,
  expires_at   TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (seq),
  KEY ix_queue_item_device (device_id, seq),
  KEY ix_queue_item_message (message_id),
  KEY ix_queue_item_expires (expires_at),
  CONSTRAINT ck_queue_item_kind CHECK (kind IN ('ENVELOPE', 'CONTROL')),
  CONSTRAINT ck_queue_item_payload CHECK (
    (kind = 'ENVELOPE' AND message_id IS NOT NULL AND control_body IS NULL)
    OR (kind = 'CONTROL' AND message_id IS NULL AND control_body IS NOT NULL))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
