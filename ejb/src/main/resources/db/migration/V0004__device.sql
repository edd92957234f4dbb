-- Enrolled devices and their certificates. The device id is chosen by the device (a random UUID,
-- see protocol/README.md) and is never reused; a revoked device stays, marked, with the log leaves
-- that record its issue and revocation.
CREATE TABLE device (
  device_id          CHAR(36)     NOT NULL,
  user_id            VARCHAR(255) NOT NULL,
  name               VARCHAR(100) NOT NULL,
  status             VARCHAR(16)  NOT NULL,
  certificate_der    BLOB         NOT NULL,
  certificate_sha384 BINARY(48)   NOT NULL,
  enrolled_at        TIMESTAMP(6) NOT NULL,
  issued_leaf        BIGINT       NOT NULL,
  revoked_at         TIMESTAMP(6) NULL,
  revoked_leaf       BIGINT       NULL,
  PRIMARY KEY (device_id),
  KEY ix_device_user (user_id, status),
  CONSTRAINT ck_device_status CHECK (status IN ('ACTIVE', 'REVOKED'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
