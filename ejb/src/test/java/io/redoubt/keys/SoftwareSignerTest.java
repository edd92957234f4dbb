package io.redoubt.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The signer contract against the in-memory signer, plus the signing certificate profile. */
class SoftwareSignerTest implements HsmSignerContract {

  private static SoftwareSigner signer;

  @BeforeAll
  static void generate() throws Exception {
    signer = SoftwareSigner.generate(KeyPurpose.TRANSPARENCY_LOG);
  }

  @Override
  public HsmSigner signer() {
    return signer;
  }

  @Test
  void theLogCertificateNamesTheOrganisationAndThePurpose() {
    assertThat(signer.certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=Unit Test Transparency Log,O=Unit Test");
  }

  @Test
  void theCaIsRefusedTheSigningProfile() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("P-384"));
    var pair = generator.generateKeyPair();

    assertThatThrownBy(
            () ->
                SigningCertificateProfile.selfSigned(
                    "X",
                    KeyPurpose.DEVICE_CA,
                    pair.getPublic(),
                    pair.getPrivate(),
                    Security.getProvider("BCFIPS"),
                    Instant.now()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
