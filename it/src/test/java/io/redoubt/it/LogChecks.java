package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.client.OrganisationPins;
import io.redoubt.client.transparency.LogEvidence;
import io.redoubt.client.transparency.SignedHeads;
import io.redoubt.client.transparency.TransparencyException;
import io.redoubt.protocol.api.LogEntryResponse;
import io.redoubt.protocol.api.TreeHeadResponse;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The checks a client makes of signed tree heads and inclusion proofs, through the SDK's own
 * verification ({@link SignedHeads}, {@link LogEvidence}), on the JSON the suites receive.
 */
final class LogChecks {

  private LogChecks() {}

  /**
   * Asserts that {@code head} is signed by the log certificate {@code /api/v1/info} publishes (an
   * end-entity certificate whose fingerprint the head and {@code /info} both name), and that a
   * changed head would not verify.
   */
  static void assertSignedByTheLogKey(JsonNode head) throws Exception {
    var info = Lab.client().info();
    X509Certificate certificate = OrganisationPins.fromInfo(info).logCertificate();
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    assertThat(
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-384", "BCFIPS")
                        .digest(certificate.getEncoded())))
        .isEqualTo(head.path("keyFingerprintSha384").asText())
        .isEqualTo(info.transparencyLogFingerprintSha384());
    ECPublicKey key = (ECPublicKey) certificate.getPublicKey();
    TreeHeadResponse served = Http.JSON.treeToValue(head, TreeHeadResponse.class);
    SignedHeads.verify(served, key);
    TreeHeadResponse forged =
        new TreeHeadResponse(
            served.treeSize() + 1,
            served.rootHash(),
            served.timestamp(),
            served.signature(),
            served.keyFingerprintSha384());
    assertThatThrownBy(() -> SignedHeads.verify(forged, key))
        .isInstanceOf(TransparencyException.class);
  }

  /**
   * Whether {@code auditPath} proves the log {@code entry} (whose fields must match its leaf bytes)
   * in {@code head}, a head signed by the log key.
   */
  static boolean includes(JsonNode head, JsonNode entry, JsonNode auditPath) throws Exception {
    TreeHeadResponse served = Http.JSON.treeToValue(head, TreeHeadResponse.class);
    LogEntryResponse logged = Http.JSON.treeToValue(entry, LogEntryResponse.class);
    List<String> path = new ArrayList<>();
    auditPath.forEach(hash -> path.add(hash.asText()));
    try {
      ECPublicKey logKey = OrganisationPins.fromInfo(Lab.client().info()).logKey();
      LogEvidence.requireIncluded(
          LogEvidence.checkedLeaf(logged),
          logged.index(),
          SignedHeads.verify(served, logKey),
          path);
      return true;
    } catch (TransparencyException notIncluded) {
      return false;
    }
  }
}
