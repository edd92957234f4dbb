-- The device CA may become an intermediate: the agency's PKI signs a CSR made from the HSM key, and
-- the certificate it returns replaces the self-signed one. What stays pinned is therefore the KEY
-- (the public key inside certificate_der, compared with the token's at every start), while the
-- certificate and its issuers may be replaced by an administrator's import.
--
-- certificate_der / fingerprint_sha384 now hold the key's CURRENT certificate; certificate_replaced_at
-- says when an import last replaced it (NULL: still the certificate first pinned).
ALTER TABLE organisation_key
  ADD COLUMN certificate_replaced_at TIMESTAMP(6) NULL AFTER recorded_at;

-- The issuers of an organisation key's current certificate, from its direct issuer (position 0)
-- up to and including the self-signed root. No rows: the certificate is self-signed.
CREATE TABLE organisation_key_issuer (
  organisation_key_id BIGINT  NOT NULL,
  position            INT     NOT NULL,
  certificate_der     BLOB    NOT NULL,
  PRIMARY KEY (organisation_key_id, position),
  CONSTRAINT fk_organisation_key_issuer_key
    FOREIGN KEY (organisation_key_id) REFERENCES organisation_key (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
