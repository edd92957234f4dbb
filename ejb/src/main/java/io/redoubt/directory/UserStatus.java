package io.redoubt.directory;

/** Whether a user may use Redoubt, as the organisation's directory says. */
public enum UserStatus {
  /** In the directory, enabled, and in an access group. */
  ACTIVE,
  /** In the directory but disabled there, or in no access group any more. */
  DISABLED,
  /** No longer in the directory at all. */
  REMOVED
}
