package io.redoubt.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificationRequestsTest {

  @BeforeAll
  static void fipsProvider() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.insertProviderAt(new BouncyCastleFipsProvider(), 1);
    }
  }

  private static KeyPair keyPair(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  private static byte[] request(KeyPair subject, KeyPair signer, String algorithm)
      throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(
            new X500Name("CN=whatever the client says"), subject.getPublic())
        .build(
            new JcaContentSignerBuilder(algorithm).setProvider("BCFIPS").build(signer.getPrivate()))
        .getEncoded();
  }

  @Test
  void acceptsAP384RequestSignedByItsOwnKey() throws Exception {
    KeyPair device = keyPair("P-384");

    var key = CertificationRequests.checkedPublicKey(request(device, device, "SHA384withECDSA"));

    assertThat(key.getEncoded()).isEqualTo(device.getPublic().getEncoded());
  }

  @Test
  void refusesARequestWithoutProofOfPossession() throws Exception {
    byte[] signedByAnotherKey = request(keyPair("P-384"), keyPair("P-384"), "SHA384withECDSA");

    assertThatThrownBy(() -> CertificationRequests.checkedPublicKey(signedByAnotherKey))
        .isInstanceOf(InvalidCertificationRequestException.class)
        .hasMessageContaining("proof of possession");
  }

  @Test
  void refusesOtherCurvesAndDigests() throws Exception {
    KeyPair p256 = keyPair("P-256");
    KeyPair p384 = keyPair("P-384");

    assertThatThrownBy(
            () -> CertificationRequests.checkedPublicKey(request(p256, p256, "SHA256withECDSA")))
        .hasMessageContaining("P-384");
    assertThatThrownBy(
            () -> CertificationRequests.checkedPublicKey(request(p384, p384, "SHA256withECDSA")))
        .hasMessageContaining("SHA384withECDSA");
  }

  @Test
  void refusesEmptyOversizedAndMalformedInput() {
    assertThatThrownBy(() -> CertificationRequests.checkedPublicKey(new byte[0]))
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> CertificationRequests.checkedPublicKey(new byte[5000]))
        .hasMessageContaining("larger than 4096");
    assertThatThrownBy(() -> CertificationRequests.checkedPublicKey(new byte[] {0x30, 0x03, 1, 2}))
        .isInstanceOf(InvalidCertificationRequestException.class)
        .hasMessageContaining("not a DER PKCS#10");
  }

  @Test
  void aFlippedSignatureBitIsCaught() throws Exception {
    KeyPair device = keyPair("P-384");
    byte[] der = request(device, device, "SHA384withECDSA");
    der[der.length - 5] ^= 0x01; // inside the signature's r or s

    assertThatThrownBy(() -> CertificationRequests.checkedPublicKey(der))
        .isInstanceOf(InvalidCertificationRequestException.class);
  }
}
