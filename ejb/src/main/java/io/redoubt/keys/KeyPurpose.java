package io.redoubt.keys;

/**
 * What an organisation key held in the HSM is for. Each purpose has its own key, its own alias in
 * the token and its own pinned certificate; all of them are ECDSA P-384.
 */
public enum KeyPurpose {
  /** Signs device certificates (and the records archiver's). A CA certificate. */
  DEVICE_CA("Device CA"),
  /** Signs the transparency log's tree heads. A plain signing certificate. */
  TRANSPARENCY_LOG("Transparency Log"),
  /** Signs audit-log checkpoints. A plain signing certificate. */
  AUDIT("Audit");

  private final String role;

  KeyPurpose(String role) {
    this.role = role;
  }

  /** The role as it appears in the certificate's common name: {@code <organisation> <role>}. */
  public String role() {
    return role;
  }
}
