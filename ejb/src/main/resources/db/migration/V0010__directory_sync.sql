-- The directory as the LDAP synchronisation keeps it (ldap-sync, issue 5): who each user is in the
-- organisation's directory and whether they may use Redoubt. Rows made at device enrollment before
-- any reconciliation are ACTIVE, as the bearer token that created them said.
ALTER TABLE directory_user
  ADD COLUMN display_name      VARCHAR(255) NULL,
  ADD COLUMN email             VARCHAR(320) NULL,
  -- ACTIVE: may use Redoubt. DISABLED: in the directory but disabled or out of every access group.
  -- REMOVED: gone from the directory. Only ACTIVE users' tokens are accepted.
  ADD COLUMN status            VARCHAR(16)  NOT NULL DEFAULT 'ACTIVE',
  ADD COLUMN status_changed_at TIMESTAMP(6) NULL,
  -- When a reconciliation last found the user in the directory (Keycloak).
  ADD COLUMN last_in_directory TIMESTAMP(6) NULL,
  ADD KEY ix_directory_user_status (status);

-- One row per reconciliation run: what it did, or why it did nothing.
CREATE TABLE directory_sync_run (
  run_id        BIGINT        NOT NULL AUTO_INCREMENT,
  full_check    BOOLEAN       NOT NULL,
  triggered_by  VARCHAR(64)   NOT NULL,
  started_at    TIMESTAMP(6)  NOT NULL,
  finished_at   TIMESTAMP(6)  NULL,
  -- RUNNING, SUCCEEDED, FAILED, HELD (waits for an administrator), CONFIRMED (held, then applied)
  outcome       VARCHAR(16)   NOT NULL,
  seen          INT           NOT NULL DEFAULT 0,
  created       INT           NOT NULL DEFAULT 0,
  updated       INT           NOT NULL DEFAULT 0,
  enabled       INT           NOT NULL DEFAULT 0,
  disabled      INT           NOT NULL DEFAULT 0,
  removed       INT           NOT NULL DEFAULT 0,
  detail        VARCHAR(2000) NULL,
  confirmed_by  VARCHAR(255)  NULL,
  confirmed_at  TIMESTAMP(6)  NULL,
  PRIMARY KEY (run_id),
  KEY ix_directory_sync_run_started (started_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Status changes a run held back because they would have disabled too many users at once.
CREATE TABLE directory_sync_held (
  run_id     BIGINT       NOT NULL,
  user_id    VARCHAR(255) NOT NULL,
  new_status VARCHAR(16)  NOT NULL,
  PRIMARY KEY (run_id, user_id),
  CONSTRAINT fk_directory_sync_held_run FOREIGN KEY (run_id) REFERENCES directory_sync_run (run_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
