package io.redoubt.prekeys;

import io.redoubt.protocol.prekeys.SignedPrekey;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** An unclaimed one-time prekey. */
@Entity
@Table(name = "one_time_prekey")
@IdClass(OneTimePrekey.Key.class)
@NamedQuery(
    name = OneTimePrekey.COUNT_USABLE,
    query =
        "SELECT COUNT(p) FROM OneTimePrekey p WHERE p.deviceId = :deviceId"
            + " AND p.material.expiresAt > :now")
@NamedQuery(
    name = OneTimePrekey.DELETE_EXPIRED,
    query =
        "DELETE FROM OneTimePrekey p WHERE p.deviceId = :deviceId"
            + " AND p.material.expiresAt <= :now")
@NamedQuery(
    name = OneTimePrekey.DELETE_ALL,
    query = "DELETE FROM OneTimePrekey p WHERE p.deviceId = :deviceId")
public class OneTimePrekey {

  static final String COUNT_USABLE = "OneTimePrekey.countUsable";
  static final String DELETE_EXPIRED = "OneTimePrekey.deleteExpired";
  static final String DELETE_ALL = "OneTimePrekey.deleteAll";

  @Id
  @Column(name = "device_id", length = 36)
  private String deviceId;

  @Id
  @Column(name = "prekey_id")
  private long prekeyId;

  @Embedded private PrekeyMaterial material;

  protected OneTimePrekey() {}

  OneTimePrekey(SignedPrekey prekey) {
    this.deviceId = prekey.deviceId().toString();
    this.prekeyId = prekey.prekeyId();
    this.material = new PrekeyMaterial(prekey);
  }

  String deviceId() {
    return deviceId;
  }

  long prekeyId() {
    return prekeyId;
  }

  SignedPrekey toSignedPrekey() {
    return material.toSignedPrekey(UUID.fromString(deviceId), prekeyId);
  }

  /** The composite primary key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;

    private String deviceId;
    private long prekeyId;

    public Key() {}

    @Override
    public boolean equals(Object other) {
      return other instanceof Key that
          && prekeyId == that.prekeyId
          && Objects.equals(deviceId, that.deviceId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(deviceId, prekeyId);
    }
  }
}
