package io.redoubt.protocol.api;

import java.util.List;

/**
 * The device CA's certificate chain as the server now uses it, after an administrator imported it:
 * the same two fields {@link InfoResponse} publishes.
 *
 * @param caCertificateChainPem the CA certificate first, then its issuers up to the root
 * @param caFingerprintsSha384 lower-case hex SHA-384 of each certificate, in the same order
 */
public record CaCertificateChainResponse(
    String caCertificateChainPem, List<String> caFingerprintsSha384) {}
