package io.redoubt.prekeys;

import io.redoubt.protocol.prekeys.SignedPrekey;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A device's current signed prekey; rotation replaces it. */
@Entity
@Table(name = "signed_prekey")
public class CurrentSignedPrekey {

  @Id
  @Column(name = "device_id", length = 36)
  private String deviceId;

  @Column(name = "prekey_id", nullable = false)
  private long prekeyId;

  @Embedded private PrekeyMaterial material;

  @Column(name = "published_at", nullable = false)
  private Instant publishedAt;

  protected CurrentSignedPrekey() {}

  CurrentSignedPrekey(SignedPrekey prekey, Instant publishedAt) {
    this.deviceId = prekey.deviceId().toString();
    replaceWith(prekey, publishedAt);
  }

  final void replaceWith(SignedPrekey prekey, Instant at) {
    this.prekeyId = prekey.prekeyId();
    this.material = new PrekeyMaterial(prekey);
    this.publishedAt = at;
  }

  long prekeyId() {
    return prekeyId;
  }

  String deviceId() {
    return deviceId;
  }

  Instant expiresAt() {
    return material.expiresAt();
  }

  SignedPrekey toSignedPrekey() {
    return material.toSignedPrekey(UUID.fromString(deviceId), prekeyId);
  }
}
