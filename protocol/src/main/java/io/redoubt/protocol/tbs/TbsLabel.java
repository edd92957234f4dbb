package io.redoubt.protocol.tbs;

import java.nio.charset.StandardCharsets;

/**
 * The registry of to-be-signed structure labels. Every signed or key-derivation input carries one,
 * so a signature made over one structure can never be replayed as another. A new structure, or a
 * changed field list, gets a new label (a new version segment for a changed layout); labels are
 * never reused.
 */
public enum TbsLabel {
  /** A prekey signed by its device identity key: device id, prekey id, public key, expiry. */
  PREKEY("redoubt/v1/prekey"),
  /** The message header whose SHA-384 is the content AAD. */
  MESSAGE_HEADER("redoubt/v1/header"),
  /** HPKE info per recipient: header hash, recipient device id, prekey id. */
  RECIPIENT_INFO("redoubt/v1/recipient"),
  /** The envelope signed by the sender: header hash, ciphertext hash, recipient entries. */
  ENVELOPE("redoubt/v1/envelope"),
  /** A request proof signed by a device identity key. */
  REQUEST_PROOF("redoubt/v1/request-proof"),
  /**
   * A transparency-log leaf: kind, user id, device id, certificate SHA-384, time (epoch millis).
   * See {@code io.redoubt.protocol.transparency.LogLeaf}.
   */
  LOG_LEAF("redoubt/v1/log-leaf"),
  /**
   * A signed tree head: size, root, time (epoch millis). See {@code
   * io.redoubt.protocol.transparency.TreeHead}.
   */
  TREE_HEAD("redoubt/v1/tree-head"),
  /** An audit-log checkpoint. */
  AUDIT_CHECKPOINT("redoubt/v1/audit-checkpoint"),
  /** A policy document sent to clients. */
  POLICY("redoubt/v1/policy");

  private final String label;

  TbsLabel(String label) {
    if (!label.matches("redoubt/v[1-9][0-9]*/[a-z0-9-]+")) {
      throw new IllegalArgumentException("malformed TBS label " + label);
    }
    this.label = label;
  }

  /** The ASCII label. */
  public String label() {
    return label;
  }

  byte[] ascii() {
    return label.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return label;
  }
}
