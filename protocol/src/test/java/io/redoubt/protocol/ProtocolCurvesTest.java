package io.redoubt.protocol;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolCurvesTest {

  @BeforeAll
  static void fipsProvider() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.insertProviderAt(new BouncyCastleFipsProvider(), 1);
    }
  }

  @Test
  void runsInApprovedOnlyMode() {
    // Guards the premise of the tests below: they prove the allow-list, not a lenient provider.
    org.assertj.core.api.Assertions.assertThat(CryptoServicesRegistrar.isInApprovedOnlyMode())
        .isTrue();
  }

  @Test
  void acceptsP384() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("P-384"));
    var pair = generator.generateKeyPair();

    assertThatCode(() -> ProtocolCurves.requireP384(pair.getPublic())).doesNotThrowAnyException();
    assertThatCode(() -> ProtocolCurves.requireP384(pair.getPrivate())).doesNotThrowAnyException();
  }

  // The FIPS module makes these keys even in approved-only mode; the allow-list must refuse them.
  @ParameterizedTest
  @ValueSource(strings = {"P-224", "P-256", "P-521"})
  void refusesEveryOtherCurve(String curve) throws Exception {
    var generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec(curve));
    var pair = generator.generateKeyPair();

    assertThatThrownBy(() -> ProtocolCurves.requireP384(pair.getPublic()))
        .isInstanceOf(DisallowedKeyException.class)
        .hasMessageContaining("P-384");
  }

  @Test
  void refusesNonEcKeys() throws Exception {
    var generator = KeyPairGenerator.getInstance("RSA", "BCFIPS");
    generator.initialize(2048);
    var pair = generator.generateKeyPair();

    assertThatThrownBy(() -> ProtocolCurves.requireP384(pair.getPublic()))
        .isInstanceOf(DisallowedKeyException.class)
        .hasMessageContaining("RSA");
    assertThatThrownBy(() -> ProtocolCurves.requireP384(null))
        .isInstanceOf(DisallowedKeyException.class);
  }
}
