package io.redoubt.devices;

import io.redoubt.protocol.crypto.EcKeys;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.IOException;
import java.security.InvalidKeyException;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import org.bouncycastle.cert.X509CertificateHolder;

/** An enrolled device of one user, with the certificate the organisation CA issued for it. */
@Entity
@Table(name = "device")
@NamedQuery(
    name = Device.OF_USER,
    query = "SELECT d FROM Device d WHERE d.userId = :userId ORDER BY d.enrolledAt")
@NamedQuery(
    name = Device.ACTIVE_OF_USER,
    query =
        "SELECT d FROM Device d WHERE d.userId = :userId AND d.status = :status"
            + " ORDER BY d.enrolledAt")
@NamedQuery(
    name = Device.ACTIVE_COUNT,
    query = "SELECT COUNT(d) FROM Device d WHERE d.userId = :userId AND d.status = :status")
@NamedQuery(
    name = Device.REVOKED,
    query = "SELECT d FROM Device d WHERE d.revokedLeaf IS NOT NULL ORDER BY d.revokedLeaf")
@NamedQuery(name = Device.LATEST_REVOCATION, query = "SELECT MAX(d.revokedLeaf) FROM Device d")
public class Device {

  static final String OF_USER = "Device.ofUser";
  static final String ACTIVE_OF_USER = "Device.activeOfUser";
  static final String REVOKED = "Device.revoked";
  static final String LATEST_REVOCATION = "Device.latestRevocation";
  static final String ACTIVE_COUNT = "Device.activeCount";

  @Id
  @Column(name = "device_id", length = 36)
  private String deviceId;

  @Column(name = "user_id", nullable = false, updatable = false)
  private String userId;

  @Column(nullable = false, length = 100)
  private String name;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  private DeviceStatus status;

  @Column(name = "certificate_der", nullable = false, updatable = false)
  private byte[] certificateDer;

  @Column(name = "certificate_sha384", nullable = false, updatable = false, length = 48)
  private byte[] certificateSha384;

  @Column(name = "enrolled_at", nullable = false, updatable = false)
  private Instant enrolledAt;

  @Column(name = "issued_leaf", nullable = false, updatable = false)
  private long issuedLeaf;

  @Column(name = "revoked_at")
  private Instant revokedAt;

  @Column(name = "revoked_leaf")
  private Long revokedLeaf;

  @Column(name = "prekey_high_water", nullable = false)
  private long prekeyHighWater = -1;

  protected Device() {}

  Device(
      String deviceId,
      String userId,
      String name,
      byte[] certificateDer,
      byte[] certificateSha384,
      Instant enrolledAt,
      long issuedLeaf) {
    this.deviceId = deviceId;
    this.userId = userId;
    this.name = name;
    this.status = DeviceStatus.ACTIVE;
    this.certificateDer = certificateDer.clone();
    this.certificateSha384 = certificateSha384.clone();
    this.enrolledAt = enrolledAt;
    this.issuedLeaf = issuedLeaf;
  }

  void revoke(Instant at, long leaf) {
    status = DeviceStatus.REVOKED;
    revokedAt = at;
    revokedLeaf = leaf;
  }

  /** The highest prekey id this device ever published; new ones must be higher. */
  public long prekeyHighWater() {
    return prekeyHighWater;
  }

  /** Records that prekeys up to {@code prekeyId} were published; never lowers the mark. */
  public void raisePrekeyHighWater(long prekeyId) {
    prekeyHighWater = Math.max(prekeyHighWater, prekeyId);
  }

  /**
   * The certified identity key.
   *
   * @throws IllegalStateException if the stored certificate cannot be read, which enrollment rules
   *     out
   */
  public ECPublicKey identityKey() {
    try {
      return EcKeys.decodeSubjectPublicKeyInfo(
          new X509CertificateHolder(certificateDer).getSubjectPublicKeyInfo().getEncoded());
    } catch (IOException | InvalidKeyException e) {
      throw new IllegalStateException("device " + deviceId + " has an unreadable certificate", e);
    }
  }

  public boolean isActive() {
    return status == DeviceStatus.ACTIVE;
  }

  public String deviceId() {
    return deviceId;
  }

  public String userId() {
    return userId;
  }

  public String name() {
    return name;
  }

  public DeviceStatus status() {
    return status;
  }

  public byte[] certificateDer() {
    return certificateDer.clone();
  }

  public byte[] certificateSha384() {
    return certificateSha384.clone();
  }

  public Instant enrolledAt() {
    return enrolledAt;
  }

  public long issuedLeaf() {
    return issuedLeaf;
  }

  public Instant revokedAt() {
    return revokedAt;
  }

  public Long revokedLeaf() {
    return revokedLeaf;
  }
}
