package io.redoubt.protocol.hpke;

import java.util.Arrays;

/** The output of a single-shot seal: the encapsulated key and ciphertext‖tag. Neither is secret. */
public final class Sealed {

  private final byte[] enc;
  private final byte[] ciphertext;

  public Sealed(byte[] enc, byte[] ciphertext) {
    this.enc = enc.clone();
    this.ciphertext = ciphertext.clone();
  }

  public byte[] enc() {
    return enc.clone();
  }

  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Sealed that
        && Arrays.equals(enc, that.enc)
        && Arrays.equals(ciphertext, that.ciphertext);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(enc) + Arrays.hashCode(ciphertext);
  }

  @Override
  public String toString() {
    return "Sealed[enc " + enc.length + " bytes, ciphertext " + ciphertext.length + " bytes]";
  }
}
