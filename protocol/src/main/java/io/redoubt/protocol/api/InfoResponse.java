package io.redoubt.protocol.api;

import java.util.List;

/**
 * What an unauthenticated client learns before it trusts this server: who runs it, where its users
 * sign in, which CA vouches for its devices, which key signs the transparency log's tree heads, and
 * whether its cryptography is in FIPS mode.
 */
public record InfoResponse(
    String product,
    String version,
    String organisation,
    IdentityProvider identityProvider,
    String caCertificateChainPem,
    List<String> caFingerprintsSha384,
    String transparencyLogCertificatePem,
    String transparencyLogFingerprintSha384,
    Fips fips) {

  /**
   * The OpenID Connect provider that issues this server's bearer tokens.
   *
   * @param issuer the issuer URL (the realm), e.g. {@code
   *     https://sso.agency.example/realms/redoubt}
   * @param clientId the public client for Redoubt's own clients (SDK, CLI)
   */
  public record IdentityProvider(String issuer, String clientId) {}

  /** The FIPS module state. */
  public record Fips(String module, String version, boolean approvedOnly, boolean selfTestPassed) {}
}
