-- Security groups (issue 5, item 3): named groups of Redoubt users that follow a Keycloak group
-- (itself mapped from an LDAP group by the read-only group mapper). The mapping is declared in the
-- directory settings file (security-group.NAME=SOURCE); the reconciliation fills both tables.
-- Later per-group policies (retention, who may message whom) refer to a security group by name,
-- never to the LDAP group, so that renaming an LDAP group is a one-line settings change.
CREATE TABLE security_group (
  name         VARCHAR(64)  NOT NULL,
  -- the Keycloak group (= LDAP group name) whose members this group mirrors
  source_group VARCHAR(255) NOT NULL,
  -- when a reconciliation last read the source group completely
  synced_at    TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE security_group_member (
  group_name VARCHAR(64)  NOT NULL,
  user_id    VARCHAR(255) NOT NULL,
  since      TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (group_name, user_id),
  KEY ix_security_group_member_user (user_id),
  CONSTRAINT fk_security_group_member_group FOREIGN KEY (group_name)
    REFERENCES security_group (name) ON DELETE CASCADE,
  CONSTRAINT fk_security_group_member_user FOREIGN KEY (user_id)
    REFERENCES directory_user (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Progress of a run while it works (the operator's `redoubt admin sync status`), and what it did
-- to security groups. SUPERSEDED: a HELD run that a later complete read replaced; only the newest
-- held run can be confirmed, so that an administrator never applies a stale decision.
ALTER TABLE directory_sync_run
  ADD COLUMN phase         VARCHAR(64) NULL,
  ADD COLUMN examined      INT         NOT NULL DEFAULT 0,
  ADD COLUMN group_joins   INT         NOT NULL DEFAULT 0,
  ADD COLUMN group_leaves  INT         NOT NULL DEFAULT 0;
