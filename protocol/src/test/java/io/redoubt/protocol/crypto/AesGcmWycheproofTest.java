package io.redoubt.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.protocol.TestVectors;
import io.redoubt.protocol.VectorTally;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof aes_gcm_test.json through {@link AesGcm}. Cases whose IV is shorter than 96 bits are
 * refused by FIPS policy (SP 800-38D as the module enforces it): they are counted in their own
 * bucket, never as passes, and the test asserts that each of them is refused.
 */
class AesGcmWycheproofTest {

  @BeforeAll
  static void fips() {
    TestVectors.installFipsProvider();
  }

  @Test
  void everyValidCaseRoundTripsEveryInvalidOneFailsAndShortIvsAreRefused() {
    JsonNode file = TestVectors.wycheproof("aes_gcm_test.json");
    VectorTally tally = new VectorTally("AES-GCM (Wycheproof)");
    for (JsonNode group : file.get("testGroups")) {
      int ivBits = group.get("ivSize").asInt();
      for (JsonNode test : group.get("tests")) {
        check(test, ivBits, tally);
      }
    }
    tally.report();
    assertThat(tally.failures()).isEmpty();
    assertThat(tally.total()).isEqualTo(file.get("numberOfTests").asInt());
    assertThat(tally.get("valid accepted")).isEqualTo(192);
    assertThat(tally.get("invalid rejected")).isEqualTo(81);
    assertThat(tally.get("valid refused: IV < 96 bits (FIPS policy)")).isEqualTo(37);
    assertThat(tally.get("invalid refused: IV < 96 bits (FIPS policy)")).isEqualTo(6);
  }

  private static void check(JsonNode test, int ivBits, VectorTally tally) {
    String id = "tcId " + test.get("tcId").asInt();
    String result = test.get("result").asText();
    byte[] key = TestVectors.hex(test, "key");
    byte[] iv = TestVectors.hex(test, "iv");
    byte[] aad = TestVectors.hex(test, "aad");
    byte[] msg = TestVectors.hex(test, "msg");
    byte[] sealed = concat(TestVectors.hex(test, "ct"), TestVectors.hex(test, "tag"));
    if (ivBits < 96) {
      boolean sealRefused = refusesShortIv(() -> AesGcm.seal(key, iv, aad, msg));
      boolean openRefused = refusesShortIv(() -> AesGcm.open(key, iv, aad, sealed));
      if (sealRefused && openRefused) {
        tally.count(result + " refused: IV < 96 bits (FIPS policy)");
      } else {
        tally.fail(id + ": IV of " + ivBits + " bits was not refused");
      }
      return;
    }
    byte[] opened;
    try {
      opened = AesGcm.open(key, iv, aad, sealed);
    } catch (GeneralSecurityException e) {
      opened = null;
    }
    if ("valid".equals(result)) {
      try {
        boolean sealsSame = Arrays.equals(AesGcm.seal(key, iv, aad, msg), sealed);
        if (sealsSame && opened != null && Arrays.equals(opened, msg)) {
          tally.count("valid accepted");
        } else {
          tally.fail(id + ": valid but did not round-trip");
        }
      } catch (GeneralSecurityException e) {
        tally.fail(id + ": valid but refused: " + e);
      }
    } else if (opened == null) {
      tally.count("invalid rejected");
    } else {
      tally.fail(id + ": invalid but opened");
    }
  }

  private interface Operation {
    void run() throws GeneralSecurityException;
  }

  private static boolean refusesShortIv(Operation operation) {
    try {
      operation.run();
      return false;
    } catch (InvalidAlgorithmParameterException e) {
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
