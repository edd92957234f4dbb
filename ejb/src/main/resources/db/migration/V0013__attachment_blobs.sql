-- Attachment blobs (issue 4, docs/messaging "Attachments"). The ciphertext itself is a file named
-- by the blob id in the blob directory (redoubt.messaging.blob-directory), never in the database;
-- here are who uploaded it, its size and digest, and which envelopes refer to it.
CREATE TABLE attachment_blob (
  blob_id            CHAR(36)     NOT NULL,
  uploader_user_id   VARCHAR(255) NOT NULL,
  uploader_device_id CHAR(36)     NOT NULL,
  size_bytes         BIGINT       NOT NULL,
  -- SHA-384 of the stored bytes, as answered to the uploader.
  sha384             BINARY(48)   NOT NULL,
  uploaded_at        TIMESTAMP(6) NOT NULL,
  -- An upload that no envelope refers to by then is deleted.
  claim_by           TIMESTAMP(6) NOT NULL,
  -- Set when the first envelope refers to it; from then on it lives exactly as long as some
  -- envelope that refers to it.
  referenced_at      TIMESTAMP(6) NULL,
  PRIMARY KEY (blob_id),
  KEY ix_attachment_blob_claim (claim_by)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Envelope -> blob. Goes with its envelope (acknowledged everywhere, expired, purged) by the
-- cascade; a blob cannot be deleted while a row here names it. The conversation is copied from the
-- envelope so that "may this user download it" is one indexed join with the membership.
CREATE TABLE attachment_reference (
  blob_id         CHAR(36) NOT NULL,
  message_id      CHAR(36) NOT NULL,
  conversation_id CHAR(36) NOT NULL,
  PRIMARY KEY (blob_id, message_id),
  KEY ix_attachment_reference_message (message_id),
  CONSTRAINT fk_attachment_reference_blob FOREIGN KEY (blob_id)
    REFERENCES attachment_blob (blob_id),
  CONSTRAINT fk_attachment_reference_envelope FOREIGN KEY (message_id)
    REFERENCES envelope (message_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
