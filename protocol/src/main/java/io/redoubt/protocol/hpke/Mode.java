package io.redoubt.protocol.hpke;

/**
 * HPKE modes (RFC 9180 §5). The protocol seals message keys in {@link #BASE}; the others are
 * implemented and tested against the RFC vectors so the same code can serve later needs.
 */
public enum Mode {
  BASE(0x00),
  PSK(0x01),
  AUTH(0x02),
  AUTH_PSK(0x03);

  private final int id;

  Mode(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  static Mode of(boolean psk, boolean auth) {
    if (psk) {
      return auth ? AUTH_PSK : PSK;
    }
    return auth ? AUTH : BASE;
  }
}
