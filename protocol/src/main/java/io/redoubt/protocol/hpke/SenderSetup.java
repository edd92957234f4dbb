package io.redoubt.protocol.hpke;

/** A sender's key schedule: the encapsulated key to send, and the context that seals. */
public final class SenderSetup {

  private final byte[] enc;
  private final HpkeContext context;

  SenderSetup(byte[] enc, HpkeContext context) {
    this.enc = enc.clone();
    this.context = context;
  }

  public byte[] enc() {
    return enc.clone();
  }

  public HpkeContext context() {
    return context;
  }
}
