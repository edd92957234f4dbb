-- The key-transparency log (RFC 9162 Merkle tree, SHA-384): its size, its leaves, and the hashes
-- of its complete (perfect, power-of-two aligned) subtrees, from which every root and proof is
-- assembled without rehashing leaves.

-- One row, locked by every append (SELECT ... FOR UPDATE): appends are serialised, leaf indexes
-- dense and never reused.
CREATE TABLE transparency_log_state (
  id        INT    NOT NULL,
  tree_size BIGINT NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT ck_transparency_log_state_single CHECK (id = 1),
  CONSTRAINT ck_transparency_log_state_size CHECK (tree_size >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO transparency_log_state (id, tree_size) VALUES (1, 0);

-- leaf_bytes is exactly what the tree hashes: TBS(redoubt/v1/log-leaf, kind, user, device,
-- certificate SHA-384, time). The other columns are the same fields, for queries.
CREATE TABLE transparency_leaf (
  leaf_index         BIGINT         NOT NULL,
  kind               VARCHAR(32)    NOT NULL,
  user_id            VARCHAR(255)   NOT NULL,
  device_id          VARCHAR(64)    NOT NULL,
  certificate_sha384 BINARY(48)     NOT NULL,
  logged_at_millis   BIGINT         NOT NULL,
  leaf_bytes         VARBINARY(2048) NOT NULL,
  PRIMARY KEY (leaf_index),
  KEY ix_transparency_leaf_user (user_id, leaf_index),
  KEY ix_transparency_leaf_certificate (certificate_sha384)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- node = 2 * start_index + 2^tree_level - 1 (in-order numbering): unique per perfect subtree, so
-- that the O(log n) pieces of a proof are fetched with one IN (...) on the primary key.
CREATE TABLE transparency_subtree (
  node        BIGINT     NOT NULL,
  tree_level  TINYINT    NOT NULL,
  start_index BIGINT     NOT NULL,
  hash        BINARY(48) NOT NULL,
  PRIMARY KEY (node),
  CONSTRAINT uk_transparency_subtree UNIQUE (tree_level, start_index)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
