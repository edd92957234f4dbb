package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.protocol.crypto.EcdsaP384;
import io.redoubt.protocol.merkle.MerkleHash;
import io.redoubt.protocol.merkle.MerkleVerifier;
import io.redoubt.protocol.transparency.TreeHead;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Checks a client makes of signed tree heads and inclusion proofs, as the ITs need them. */
final class SignedHeads {

  private static final Base64.Decoder B64 = Base64.getUrlDecoder();
  private static final MerkleHash HASH = MerkleHash.sha384();

  private SignedHeads() {}

  /**
   * Asserts that {@code head} is signed by the log certificate {@code /api/v1/info} publishes, and
   * that a changed head would not verify.
   */
  static void assertSignedByTheLogKey(JsonNode head) throws Exception {
    var info = Lab.client().info();
    X509Certificate certificate =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(
                        info.transparencyLogCertificatePem().getBytes(StandardCharsets.US_ASCII)));
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    assertThat(
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-384", "BCFIPS")
                        .digest(certificate.getEncoded())))
        .isEqualTo(head.path("keyFingerprintSha384").asText())
        .isEqualTo(info.transparencyLogFingerprintSha384());
    TreeHead content = content(head);
    byte[] signature = B64.decode(head.path("signature").asText());
    assertThat(
            EcdsaP384.verify((ECPublicKey) certificate.getPublicKey(), content.encode(), signature))
        .isTrue();
    byte[] forged = content.encode();
    forged[forged.length - 1] ^= 1;
    assertThat(EcdsaP384.verify((ECPublicKey) certificate.getPublicKey(), forged, signature))
        .isFalse();
  }

  /**
   * Whether {@code auditPath} proves leaf {@code index} with bytes {@code leaf} in {@code head}.
   */
  static boolean includes(JsonNode head, long index, byte[] leaf, JsonNode auditPath) {
    TreeHead content = content(head);
    return new MerkleVerifier(HASH)
        .verifyInclusion(
            HASH.leafHash(leaf), index, content.treeSize(), hashes(auditPath), content.rootHash());
  }

  static List<byte[]> hashes(JsonNode array) {
    List<byte[]> values = new ArrayList<>();
    array.forEach(node -> values.add(B64.decode(node.asText())));
    return values;
  }

  private static TreeHead content(JsonNode head) {
    return new TreeHead(
        head.path("treeSize").asLong(),
        B64.decode(head.path("rootHash").asText()),
        Instant.ofEpochMilli(head.path("timestamp").asLong()));
  }
}
