package io.redoubt.keys;

import jakarta.ejb.ApplicationException;

/**
 * The HSM holds a different key under an alias than the one the database pinned: the token was
 * replaced, re-initialised or tampered with (or an imported certificate is for another key). The
 * application must not silently adopt a new trust anchor, so the operation (and with it the start)
 * is refused.
 */
@ApplicationException(rollback = true)
public class OrganisationKeyMismatchException extends Exception {
  private static final long serialVersionUID = 1L;

  public OrganisationKeyMismatchException(
      String alias, String pinnedFingerprint, String presentedFingerprint) {
    super(
        "HSM key '"
            + alias
            + "' does not match the key pinned in the database (pinned public key SHA-384 "
            + pinnedFingerprint
            + ", presented "
            + presentedFingerprint
            + "). Restore the original token, or follow the key-rotation procedure.");
  }
}
