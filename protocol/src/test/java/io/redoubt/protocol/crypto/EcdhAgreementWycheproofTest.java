package io.redoubt.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.TestVectors;
import io.redoubt.protocol.VectorTally;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof ecdh_secp384r1_test.json through {@link EcdhAgreement#agreeP384}: public keys arrive
 * as SubjectPublicKeyInfo and go through {@link EcKeys#decodeSubjectPublicKeyInfo}, as a peer's key
 * would. Rejection at decoding, at the P-384 allow-list or at agreement all count as rejected.
 */
class EcdhAgreementWycheproofTest {

  @BeforeAll
  static void fips() {
    TestVectors.installFipsProvider();
  }

  @Test
  void everyValidAgreementMatchesAndEveryInvalidKeyIsRejected() throws Exception {
    JsonNode file = TestVectors.wycheproof("ecdh_secp384r1_test.json");
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC", FipsModule.PROVIDER);
    parameters.init(new ECGenParameterSpec("P-384"));
    ECParameterSpec p384 = parameters.getParameterSpec(ECParameterSpec.class);
    KeyFactory keys = KeyFactory.getInstance("EC", FipsModule.PROVIDER);
    VectorTally tally = new VectorTally("ECDH P-384 (Wycheproof)");

    for (JsonNode group : file.get("testGroups")) {
      for (JsonNode test : group.get("tests")) {
        String id = "tcId " + test.get("tcId").asInt() + " (" + test.get("comment").asText() + ")";
        PrivateKey privateKey =
            keys.generatePrivate(
                new ECPrivateKeySpec(new BigInteger(1, TestVectors.hex(test, "private")), p384));
        byte[] shared;
        try {
          ECPublicKey peer = EcKeys.decodeSubjectPublicKeyInfo(TestVectors.hex(test, "public"));
          shared = EcdhAgreement.agreeP384(privateKey, peer);
        } catch (GeneralSecurityException e) {
          shared = null;
        }
        boolean matches = shared != null && Arrays.equals(shared, TestVectors.hex(test, "shared"));
        switch (test.get("result").asText()) {
          case "valid" -> {
            if (matches) {
              tally.count("valid accepted");
            } else {
              tally.fail(id + ": valid but " + (shared == null ? "rejected" : "wrong secret"));
            }
          }
          case "invalid" -> {
            if (shared == null) {
              tally.count("invalid rejected");
            } else {
              tally.fail(id + ": invalid but accepted");
            }
          }
          default -> tally.count(shared == null ? "acceptable rejected" : "acceptable accepted");
        }
      }
    }
    tally.report();
    assertThat(tally.failures()).isEmpty();
    assertThat(tally.total()).isEqualTo(file.get("numberOfTests").asInt());
    assertThat(tally.get("valid accepted")).isEqualTo(771);
    assertThat(tally.get("invalid rejected")).isEqualTo(46);
  }

  @Test
  void refusesKeysOnOtherCurvesBeforeAgreeing() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", FipsModule.PROVIDER);
    generator.initialize(new ECGenParameterSpec("P-384"));
    PrivateKey mine = generator.generateKeyPair().getPrivate();
    generator.initialize(new ECGenParameterSpec("P-256"));
    ECPublicKey theirs = (ECPublicKey) generator.generateKeyPair().getPublic();

    assertThatThrownBy(() -> EcdhAgreement.agreeP384(mine, theirs))
        .isInstanceOf(DisallowedKeyException.class);
    assertThatThrownBy(() -> EcdhAgreement.agree(mine, theirs))
        .isInstanceOf(java.security.InvalidKeyException.class);
  }
}
