package io.redoubt.keys;

/** What an organisation key held in the HSM is for. Each purpose has its own key. */
public enum KeyPurpose {
  /** Signs device certificates (and the records archiver's). */
  DEVICE_CA
}
