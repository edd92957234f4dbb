-- The device CA may become an intermediate: the agency's PKI signs a CSR made from the HSM key, and
-- the certificate it returns replaces the self-signed one. What stays pinned is therefore the KEY
-- (the public key inside certificate_der, compared with the token's at every start), while the
-- certificate and its issuers may be replaced by an administrator's import.
--
-- certificate_der / fingerprint_sha384 now hold the key's CURRENT certificate.
-- issuer_chain_pem: the issuers of that certificate as PEM, its direct issuer first, up to and
--   including the self-signed root; NULL when the certificate is self-signed. (One ordered value,
--   read and written whole: a text column rather than a child table.)
-- certificate_replaced_at: when an import last replaced the certificate; NULL while it is the one
--   first pinned.
ALTER TABLE organisation_key
  ADD COLUMN issuer_chain_pem        MEDIUMTEXT   NULL AFTER fingerprint_sha384,
  ADD COLUMN certificate_replaced_at TIMESTAMP(6) NULL AFTER recorded_at;
