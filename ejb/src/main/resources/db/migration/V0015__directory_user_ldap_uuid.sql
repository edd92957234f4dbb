-- The directory entry a user was last matched to (docs/directory-sync "Reconciliation"): its stable
-- id (ldap.uuid-attribute: entryUUID, or AD's objectGUID in hex). A run matches the access groups'
-- members to Redoubt's users by username; a username whose entry's id changed belongs to someone
-- else now (the old entry deleted, a new one given the name), and is resolved through Keycloak
-- again instead of handing the old user's devices the new person's messages. NULL until a run has
-- matched the user (rows from before this column, users who enrolled before any run).
ALTER TABLE directory_user ADD COLUMN ldap_uuid VARCHAR(64) NULL;
