package io.redoubt.protocol.api;

import java.util.List;

/**
 * What an unauthenticated client learns before it trusts this server: who runs it, which CA vouches
 * for its devices, which key signs the transparency log's tree heads, and whether its cryptography
 * is in FIPS mode.
 */
public record InfoResponse(
    String product,
    String version,
    String organisation,
    String caCertificateChainPem,
    List<String> caFingerprintsSha384,
    String transparencyLogCertificatePem,
    String transparencyLogFingerprintSha384,
    Fips fips) {

  /** The FIPS module state. */
  public record Fips(String module, String version, boolean approvedOnly, boolean selfTestPassed) {}
}
