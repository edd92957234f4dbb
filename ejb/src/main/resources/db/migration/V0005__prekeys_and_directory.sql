-- Prekeys: the public halves a device publishes so that others can seal messages to it while it is
-- offline. Each is signed by the device identity key over the TBS of protocol/prekeys/SignedPrekey;
-- the server checks the signature on upload and serves the bytes unchanged.

-- The one signed prekey senders fall back to when no one-time prekey is left. Replaced on rotation.
CREATE TABLE signed_prekey (
  device_id    CHAR(36)       NOT NULL,
  prekey_id    BIGINT         NOT NULL,
  public_key   VARBINARY(256) NOT NULL,
  expires_at   TIMESTAMP(6)   NOT NULL,
  signature    VARBINARY(128) NOT NULL,
  published_at TIMESTAMP(6)   NOT NULL,
  PRIMARY KEY (device_id),
  CONSTRAINT fk_signed_prekey_device FOREIGN KEY (device_id) REFERENCES device (device_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Unclaimed one-time prekeys. A claim deletes the row in the claimer's transaction.
CREATE TABLE one_time_prekey (
  device_id  CHAR(36)       NOT NULL,
  prekey_id  BIGINT         NOT NULL,
  public_key VARBINARY(256) NOT NULL,
  expires_at TIMESTAMP(6)   NOT NULL,
  signature  VARBINARY(128) NOT NULL,
  PRIMARY KEY (device_id, prekey_id),
  CONSTRAINT fk_one_time_prekey_device FOREIGN KEY (device_id) REFERENCES device (device_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The highest prekey id a device ever published, signed or one-time. New ids must exceed it, so a
-- claimed (deleted) one-time prekey can never be uploaded again under its old id.
ALTER TABLE device ADD COLUMN prekey_high_water BIGINT NOT NULL DEFAULT -1;

-- Who a login name belongs to, as the identity provider last said in a bearer token. Lookups by
-- name resolve through it; the user id (token subject) is what certificates and the log carry.
-- The LDAP synchronisation (ldap-sync) will own and extend this table.
CREATE TABLE directory_user (
  user_id    VARCHAR(255) NOT NULL,
  username   VARCHAR(255) NOT NULL,
  first_seen TIMESTAMP(6) NOT NULL,
  last_seen  TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (user_id),
  UNIQUE KEY uk_directory_user_username (username)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
