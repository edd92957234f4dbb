-- The CA-signed certificate revocation list (X.509 v2 CRL) clients fetch from /api/v1/revocations.
-- One row, created here so that every node locks the same row when it issues: crl_number grows by
-- one with every list signed, across restarts and nodes (RFC 5280 5.2.3: monotonically increasing).
-- covers_leaf is the newest revocation's transparency-log leaf the list includes (-1: none), so
-- that a later revocation (a larger leaf) makes the stored list stale.
CREATE TABLE revocation_list (
  id           TINYINT      NOT NULL,
  crl_number   BIGINT       NOT NULL,
  covers_leaf  BIGINT       NOT NULL,
  this_update  TIMESTAMP(6) NULL,
  next_update  TIMESTAMP(6) NULL,
  crl_der      MEDIUMBLOB   NULL,
  PRIMARY KEY (id),
  CONSTRAINT ck_revocation_list_single_row CHECK (id = 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO revocation_list (id, crl_number, covers_leaf) VALUES (1, 0, -1);

-- The newest revocation is read on every fetch of the list; the revoked devices when it is issued.
CREATE INDEX ix_device_revoked_leaf ON device (revoked_leaf);
