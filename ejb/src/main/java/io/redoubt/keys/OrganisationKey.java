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
 * One organisation key held in the HSM, pinned when the application first saw it, with its current
 * certificate chain. The private key never leaves the token; this row is what lets a restart notice
 * a different key under the same alias.
 *
 * <p>Invariant: the public key of {@link #certificateDer()} never changes once pinned. The
 * certificate itself may be replaced by one for the same key (the device CA made an intermediate by
 * the agency's PKI), together with its {@link #issuerChainPem() issuers}.
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

  @Column(name = "certificate_der", nullable = false)
  private byte[] certificateDer;

  @Column(name = "fingerprint_sha384", nullable = false, length = 96)
  private String fingerprintSha384;

  @Column(name = "recorded_at", nullable = false, updatable = false)
  private Instant recordedAt;

  @Column(name = "certificate_replaced_at")
  private Instant certificateReplacedAt;

  @Column(name = "issuer_chain_pem")
  private String issuerChainPem;

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

  /**
   * The issuers of {@link #certificateDer()} as PEM, its direct issuer first, up to the self-signed
   * root; null when the certificate is self-signed.
   */
  public String issuerChainPem() {
    return issuerChainPem;
  }

  /**
   * Replaces the current certificate (one for the same key: the caller checked) and its issuers.
   */
  void replaceCertificate(
      byte[] certificateDer, String fingerprintSha384, String issuerChainPem, Instant at) {
    this.certificateDer = certificateDer.clone();
    this.fingerprintSha384 = fingerprintSha384;
    this.issuerChainPem = issuerChainPem;
    this.certificateReplacedAt = at;
  }

  /** When an import last replaced the certificate; null while it is the one first pinned. */
  public Instant certificateReplacedAt() {
    return certificateReplacedAt;
  }

  /** Lower-case hex SHA-384 of the DER certificate. */
  public String fingerprintSha384() {
    return fingerprintSha384;
  }

  public Instant recordedAt() {
    return recordedAt;
  }
}
