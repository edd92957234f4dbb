package io.redoubt.prekeys;

import io.redoubt.protocol.prekeys.SignedPrekey;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;
import java.util.UUID;

/** The signed public part of a prekey, as stored: exactly the bytes the device published. */
@Embeddable
public class PrekeyMaterial {

  @Column(name = "public_key", nullable = false, updatable = false)
  private byte[] publicKey;

  @Column(name = "expires_at", nullable = false, updatable = false)
  private Instant expiresAt;

  @Column(name = "signature", nullable = false, updatable = false)
  private byte[] signature;

  protected PrekeyMaterial() {}

  PrekeyMaterial(SignedPrekey prekey) {
    this.publicKey = prekey.publicKey();
    this.expiresAt = prekey.expiresAt();
    this.signature = prekey.signature();
  }

  Instant expiresAt() {
    return expiresAt;
  }

  SignedPrekey toSignedPrekey(UUID deviceId, long prekeyId) {
    return new SignedPrekey(deviceId, prekeyId, publicKey, expiresAt, signature);
  }
}
