-- Signed tree heads of the transparency log: TBS(redoubt/v1/tree-head, size, root, time) signed
-- by the HSM log key (ECDSA P-384/SHA-384, DER). One per signed size: heads are signed per batch
-- (at most about once a second), not per append.
CREATE TABLE transparency_tree_head (
  tree_size          BIGINT         NOT NULL,
  root_hash          BINARY(48)     NOT NULL,
  signed_at_millis   BIGINT         NOT NULL,
  signature          VARBINARY(128) NOT NULL,
  key_fingerprint    CHAR(96)       NOT NULL,
  PRIMARY KEY (tree_size)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
