-- The audit trail (package io.redoubt.audit): security-relevant events, each appended in the
-- transaction that makes the change. Today: offboarding (issue 5: "an audit event is written").
-- The audit issue will chain these rows and sign checkpoints with the organisation's audit key;
-- the id is the order they were written in. No code updates or deletes a row.
CREATE TABLE audit_event (
  id               BIGINT        NOT NULL AUTO_INCREMENT,
  occurred_at      TIMESTAMP(6)  NOT NULL,
  event_type       VARCHAR(64)   NOT NULL,
  -- who or what decided: a reconciliation run, a re-check after a push
  actor            VARCHAR(255)  NOT NULL,
  subject_user_id  VARCHAR(255)  NULL,
  subject_username VARCHAR(255)  NULL,
  run_id           BIGINT        NULL,
  detail           VARCHAR(1000) NULL,
  PRIMARY KEY (id),
  KEY ix_audit_event_subject (subject_user_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
