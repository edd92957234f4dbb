-- Identifiers (devices, conversations, messages, blobs) are UUIDs in their 36-character text form:
-- ASCII, compared byte for byte. Under utf8mb4_bin each comparison of two keys decoded UTF-8
-- character by character, and a 1:1 send compares ids in a dozen B-tree descents (the envelope and
-- its queue row inserted, both deleted on acknowledgement, the conversation locked, its members'
-- devices read). A profile of MariaDB under the relay load put that decoding at a tenth of its CPU;
-- the group commit's statements measured about a fifth cheaper with ASCII keys
-- (docs/performance, fourteenth session). User ids stay utf8mb4: they come from the directory.
--
-- MariaDB changes no column a foreign key joins, whatever foreign_key_checks says: the keys are
-- dropped, both sides changed, and the keys made again as V0005, V0011 and V0013 defined them.
ALTER TABLE signed_prekey DROP FOREIGN KEY fk_signed_prekey_device;
ALTER TABLE one_time_prekey DROP FOREIGN KEY fk_one_time_prekey_device;
ALTER TABLE conversation_member DROP FOREIGN KEY fk_conversation_member;
ALTER TABLE attachment_reference
  DROP FOREIGN KEY fk_attachment_reference_blob,
  DROP FOREIGN KEY fk_attachment_reference_envelope;

ALTER TABLE device
  MODIFY device_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL;
ALTER TABLE signed_prekey
  MODIFY device_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL;
ALTER TABLE one_time_prekey
  MODIFY device_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL;

ALTER TABLE conversation
  MODIFY conversation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL;
ALTER TABLE conversation_member
  MODIFY conversation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL;

-- No query finds envelopes by conversation: its index only cost every insert and delete.
ALTER TABLE envelope
  DROP KEY ix_envelope_conversation,
  MODIFY message_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY conversation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY sender_device_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL;
ALTER TABLE queue_item
  MODIFY device_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY message_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL;

ALTER TABLE attachment_blob
  MODIFY blob_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY uploader_device_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL;
ALTER TABLE attachment_reference
  MODIFY blob_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY message_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY conversation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL;

ALTER TABLE signed_prekey ADD CONSTRAINT fk_signed_prekey_device
  FOREIGN KEY (device_id) REFERENCES device (device_id);
ALTER TABLE one_time_prekey ADD CONSTRAINT fk_one_time_prekey_device
  FOREIGN KEY (device_id) REFERENCES device (device_id);
ALTER TABLE conversation_member ADD CONSTRAINT fk_conversation_member
  FOREIGN KEY (conversation_id) REFERENCES conversation (conversation_id);
ALTER TABLE attachment_reference
  ADD CONSTRAINT fk_attachment_reference_blob
    FOREIGN KEY (blob_id) REFERENCES attachment_blob (blob_id),
  ADD CONSTRAINT fk_attachment_reference_envelope
    FOREIGN KEY (message_id) REFERENCES envelope (message_id) ON DELETE CASCADE;
