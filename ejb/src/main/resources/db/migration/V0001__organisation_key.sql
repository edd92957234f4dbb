-- The organisation's keys held in the HSM, as the application last saw them. The private keys never
-- leave the token; this table pins each key's certificate so that a swapped or re-initialised token
-- is detected at start instead of silently becoming a new trust anchor.
CREATE TABLE organisation_key (
  id                 BIGINT       NOT NULL AUTO_INCREMENT,
  alias              VARCHAR(64)  NOT NULL,
  purpose            VARCHAR(32)  NOT NULL,
  certificate_der    BLOB         NOT NULL,
  fingerprint_sha384 CHAR(96)     NOT NULL,
  recorded_at        TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uk_organisation_key_alias UNIQUE (alias)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
