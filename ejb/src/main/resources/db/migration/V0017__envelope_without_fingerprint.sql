-- A retry under a stored message id is now told from a replay by comparing the stored body (the
-- canonical wire form of the decoded envelope) with the new one, instead of a SHA-384 fingerprint
-- that cost three digests on every send to serve the rare retry.
ALTER TABLE envelope DROP COLUMN fingerprint;
