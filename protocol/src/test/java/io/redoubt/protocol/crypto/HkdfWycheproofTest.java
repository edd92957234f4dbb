package io.redoubt.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.protocol.TestVectors;
import io.redoubt.protocol.VectorTally;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wycheproof hkdf_sha256_test.json and hkdf_sha384_test.json through {@link Hkdf}. */
class HkdfWycheproofTest {

  @BeforeAll
  static void fips() {
    TestVectors.installFipsProvider();
  }

  @ParameterizedTest
  @CsvSource({"hkdf_sha256_test.json, SHA256, 83, 3", "hkdf_sha384_test.json, SHA384, 80, 3"})
  void everyValidOutputMatchesAndEveryInvalidSizeIsRefused(
      String fileName, HashFunction hash, int valid, int invalid) {
    JsonNode file = TestVectors.wycheproof(fileName);
    Hkdf hkdf = Hkdf.over(hash);
    VectorTally tally = new VectorTally("HKDF-" + hash + " (Wycheproof)");
    for (JsonNode group : file.get("testGroups")) {
      for (JsonNode test : group.get("tests")) {
        String id = "tcId " + test.get("tcId").asInt();
        byte[] okm;
        try {
          okm =
              hkdf.derive(
                  TestVectors.hex(test, "salt"),
                  TestVectors.hex(test, "ikm"),
                  TestVectors.hex(test, "info"),
                  test.get("size").asInt());
        } catch (IllegalArgumentException e) {
          okm = null;
        }
        if ("valid".equals(test.get("result").asText())) {
          if (okm != null && Arrays.equals(okm, TestVectors.hex(test, "okm"))) {
            tally.count("valid accepted");
          } else {
            tally.fail(id + ": valid but wrong or refused");
          }
        } else if (okm == null) {
          tally.count("invalid rejected");
        } else {
          tally.fail(id + ": invalid but produced output");
        }
      }
    }
    tally.report();
    assertThat(tally.failures()).isEmpty();
    assertThat(tally.get("valid accepted")).isEqualTo(valid);
    assertThat(tally.get("invalid rejected")).isEqualTo(invalid);
  }
}
