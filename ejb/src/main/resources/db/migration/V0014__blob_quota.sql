-- Per-user blob quota (docs/messaging "Attachments", redoubt.messaging.max-blob-bytes-per-user).
-- A user's usage is the sum of size_bytes of their blobs' records, read at every upload: the index
-- makes that a range read of the user's own rows rather than a scan of every blob.
ALTER TABLE attachment_blob ADD KEY ix_attachment_blob_uploader (uploader_user_id);

-- One row per user who ever uploaded, locked for update by the transaction that records an upload,
-- so that one user's uploads are checked against the quota one at a time. The lock cannot be taken
-- on the user's attachment_blob rows: the runtime datasource is READ COMMITTED, where InnoDB takes
-- no gap locks, so two uploads of a user with no blob yet (or two inserts) would not wait for each
-- other and could both pass the check.
CREATE TABLE attachment_uploader (
  user_id        VARCHAR(255) NOT NULL,
  -- written by every upload's lock statement; a real write, so the row lock is always exclusive
  last_upload_at TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
