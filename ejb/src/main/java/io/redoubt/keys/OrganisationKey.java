package io.redoubt.keys;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The certificate of one organisation key held in the HSM, pinned when the application first saw
 * it. The private key never leaves the token; this row is what lets a restart notice a different
 * key under the same alias.
 */
@Entity
@Table(name = "organisation_key")
@NamedQuery(
    name = OrganisationKey.BY_ALIAS,
    query = "SELECT k FROM OrganisationKey k WHERE k.alias = :alias")
public class OrganisationKey {

  static final String BY_ALIAS = "OrganisationKey.byAlias";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false, length = 64, updatable = false)
  private String alias;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 32, updatable = false)
  private KeyPurpose purpose;

  @Column(name = "certificate_der", nullable = false, updatable = false)
  private byte[] certificateDer;

  @Column(name = "fingerprint_sha384", nullable = false, length = 96, updatable = false)
  private String fingerprintSha384;

  @Column(name = "recorded_at", nullable = false, updatable = false)
  private Instant recordedAt;

  protected OrganisationKey() {}

  OrganisationKey(
      String alias,
      KeyPurpose purpose,
      byte[] certificateDer,
      String fingerprintSha384,
      Instant recordedAt) {
    this.alias = alias;
    this.purpose = purpose;
    this.certificateDer = certificateDer.clone();
    this.fingerprintSha384 = fingerprintSha384;
    this.recordedAt = recordedAt;
  }

  public String alias() {
    return alias;
  }

  public KeyPurpose purpose() {
    return purpose;
  }

  public byte[] certificateDer() {
    return certificateDer.clone();
  }

  /** Lower-case hex SHA-384 of the DER certificate. */
  public String fingerprintSha384() {
    return fingerprintSha384;
  }

  public Instant recordedAt() {
    return recordedAt;
  }
}
