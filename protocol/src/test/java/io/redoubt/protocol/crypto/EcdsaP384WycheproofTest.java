package io.redoubt.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.protocol.TestVectors;
import io.redoubt.protocol.VectorTally;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Wycheproof ecdsa_secp384r1_sha384_test.json through {@link EcdsaP384#verify}. */
class EcdsaP384WycheproofTest {

  @BeforeAll
  static void fips() {
    TestVectors.installFipsProvider();
  }

  @Test
  void everyValidSignatureVerifiesAndEveryInvalidOneIsRejected() throws Exception {
    JsonNode file = TestVectors.wycheproof("ecdsa_secp384r1_sha384_test.json");
    VectorTally tally = new VectorTally("ECDSA P-384/SHA-384 (Wycheproof)");
    for (JsonNode group : file.get("testGroups")) {
      ECPublicKey key = EcKeys.decodeSubjectPublicKeyInfo(TestVectors.hex(group, "publicKeyDer"));
      for (JsonNode test : group.get("tests")) {
        String result = test.get("result").asText();
        boolean accepted =
            EcdsaP384.verify(key, TestVectors.hex(test, "msg"), TestVectors.hex(test, "sig"));
        String id = "tcId " + test.get("tcId").asInt() + " (" + test.get("comment").asText() + ")";
        switch (result) {
          case "valid" -> {
            if (accepted) {
              tally.count("valid accepted");
            } else {
              tally.fail(id + ": valid but rejected");
            }
          }
          case "invalid" -> {
            if (accepted) {
              tally.fail(id + ": invalid but accepted");
            } else {
              tally.count("invalid rejected");
            }
          }
          default -> tally.count(accepted ? "acceptable accepted" : "acceptable rejected");
        }
      }
    }
    tally.report();
    assertThat(tally.failures()).isEmpty();
    assertThat(tally.total()).isEqualTo(file.get("numberOfTests").asInt());
    assertThat(tally.get("valid accepted")).isEqualTo(194);
    assertThat(tally.get("invalid rejected")).isEqualTo(310);
  }

  @Test
  void signaturesRoundTripAndConvertBetweenDerAndRaw() throws Exception {
    var generator = java.security.KeyPairGenerator.getInstance("EC", FipsModule.PROVIDER);
    generator.initialize(new java.security.spec.ECGenParameterSpec("P-384"));
    var pair = generator.generateKeyPair();
    byte[] message = "redoubt".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    byte[] der = EcdsaP384.sign(pair.getPrivate(), message);
    ECPublicKey publicKey = (ECPublicKey) pair.getPublic();

    assertThat(EcdsaP384.verify(publicKey, message, der)).isTrue();
    byte[] raw = EcdsaP384.toRaw(der);
    assertThat(raw).hasSize(EcdsaP384.RAW_LENGTH);
    assertThat(EcdsaP384.fromRaw(raw)).isEqualTo(der);
    message[0] ^= 1;
    assertThat(EcdsaP384.verify(publicKey, message, der)).isFalse();
  }
}
