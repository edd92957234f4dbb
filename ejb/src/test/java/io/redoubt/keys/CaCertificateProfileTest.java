package io.redoubt.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.protocol.DisallowedKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CaCertificateProfileTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  @BeforeAll
  static void fipsProvider() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.insertProviderAt(new BouncyCastleFipsProvider(), 1);
    }
  }

  private static KeyPair keyPair(String curve) throws Exception {
    var generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  @Test
  void issuesASelfSignedP384CaThatSignsEndEntitiesOnly() throws Exception {
    KeyPair pair = keyPair("P-384");

    X509Certificate ca =
        CaCertificateProfile.selfSigned(
            "Agency", pair.getPublic(), pair.getPrivate(), Security.getProvider("BCFIPS"), NOW);

    ca.verify(pair.getPublic(), "BCFIPS");
    assertThat(ca.getSigAlgName()).isEqualToIgnoringCase("SHA384WITHECDSA");
    assertThat(ca.getSubjectX500Principal()).isEqualTo(ca.getIssuerX500Principal());
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=Agency Device CA,O=Agency");
    assertThat(ca.getBasicConstraints()).isZero(); // a CA, path length 0
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(ca.getKeyUsage()[6]).as("cRLSign").isTrue();
    assertThat(ca.getKeyUsage()[0]).as("digitalSignature").isFalse();
    assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    assertThat(ca.getNotBefore().toInstant()).isBefore(NOW);
    assertThat(ca.getNotAfter().toInstant())
        .isAfter(NOW.plus(CaCertificateProfile.VALIDITY).minusSeconds(1));
    assertThat(ca.getSerialNumber().signum()).isPositive();
  }

  @Test
  void serialsAreUnpredictable() throws Exception {
    KeyPair pair = keyPair("P-384");
    var provider = Security.getProvider("BCFIPS");

    var first =
        CaCertificateProfile.selfSigned("A", pair.getPublic(), pair.getPrivate(), provider, NOW);
    var second =
        CaCertificateProfile.selfSigned("A", pair.getPublic(), pair.getPrivate(), provider, NOW);

    assertThat(first.getSerialNumber()).isNotEqualTo(second.getSerialNumber());
    assertThat(first.getSerialNumber().bitLength()).isGreaterThan(100);
  }

  @Test
  void refusesACaKeyOffTheAllowList() throws Exception {
    KeyPair pair = keyPair("P-256");

    assertThatThrownBy(
            () ->
                CaCertificateProfile.selfSigned(
                    "Agency",
                    pair.getPublic(),
                    pair.getPrivate(),
                    Security.getProvider("BCFIPS"),
                    NOW))
        .isInstanceOf(DisallowedKeyException.class);
  }
}
