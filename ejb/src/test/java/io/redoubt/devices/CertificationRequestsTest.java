package io.redoubt.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.util.UUID;
import org.bouncycastle.asn1.x500.RDN;
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

  private static final UUID DEVICE = UUID.fromString("0b9f3c1e-2d4a-4e8b-9c7d-5a6f1e2d3c4b");
  private static final String ALICE = "alice";

  private static byte[] request(KeyPair subject, KeyPair signer, String algorithm)
      throws Exception {
    return request("CN=" + DEVICE, subject, signer, algorithm);
  }

  private static byte[] request(String name, KeyPair subject, KeyPair signer, String algorithm)
      throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(
            name.isEmpty() ? new X500Name(new RDN[0]) : new X500Name(name), subject.getPublic())
        .build(
            new JcaContentSignerBuilder(algorithm).setProvider("BCFIPS").build(signer.getPrivate()))
        .getEncoded();
  }

  @Test
  void acceptsAP384RequestSignedByItsOwnKey() throws Exception {
    KeyPair device = keyPair("P-384");

    var key =
        CertificationRequests.checkedPublicKey(
            request(device, device, "SHA384withECDSA"), DEVICE, ALICE);

    assertThat(key.getEncoded()).isEqualTo(device.getPublic().getEncoded());
  }

  @Test
  void refusesARequestWithoutProofOfPossession() throws Exception {
    byte[] signedByAnotherKey = request(keyPair("P-384"), keyPair("P-384"), "SHA384withECDSA");

    assertThatThrownBy(
            () -> CertificationRequests.checkedPublicKey(signedByAnotherKey, DEVICE, ALICE))
        .isInstanceOf(InvalidCertificationRequestException.class)
        .hasMessageContaining("proof of possession");
  }

  @Test
  void refusesOtherCurvesAndDigests() throws Exception {
    KeyPair p256 = keyPair("P-256");
    KeyPair p384 = keyPair("P-384");

    assertThatThrownBy(
            () ->
                CertificationRequests.checkedPublicKey(
                    request(p256, p256, "SHA256withECDSA"), DEVICE, ALICE))
        .hasMessageContaining("P-384");
    assertThatThrownBy(
            () ->
                CertificationRequests.checkedPublicKey(
                    request(p384, p384, "SHA256withECDSA"), DEVICE, ALICE))
        .hasMessageContaining("SHA384withECDSA");
  }

  @Test
  void refusesEmptyOversizedAndMalformedInput() {
    assertThatThrownBy(() -> CertificationRequests.checkedPublicKey(new byte[0], DEVICE, ALICE))
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> CertificationRequests.checkedPublicKey(new byte[5000], DEVICE, ALICE))
        .hasMessageContaining("larger than 4096");
    assertThatThrownBy(
            () ->
                CertificationRequests.checkedPublicKey(
                    new byte[] {0x30, 0x03, 1, 2}, DEVICE, ALICE))
        .isInstanceOf(InvalidCertificationRequestException.class)
        .hasMessageContaining("not a DER PKCS#10");
  }

  @Test
  void acceptsASubjectThatIsEmptyOrNamesTheDeviceOrTheCaller() throws Exception {
    KeyPair device = keyPair("P-384");

    for (String name : new String[] {"", "CN=" + DEVICE, "CN=Alice"}) {
      assertThat(
              CertificationRequests.checkedPublicKey(
                  request(name, device, device, "SHA384withECDSA"), DEVICE, ALICE))
          .as(name)
          .isNotNull();
    }
  }

  @Test
  void refusesASubjectNamingAnyoneOrAnythingElse() throws Exception {
    KeyPair device = keyPair("P-384");

    for (String name :
        new String[] {
          "CN=bob", "CN=alice,O=Agency", "UID=alice", "CN=" + UUID.randomUUID(), "CN=work laptop"
        }) {
      byte[] der = request(name, device, device, "SHA384withECDSA");
      assertThatThrownBy(() -> CertificationRequests.checkedPublicKey(der, DEVICE, ALICE))
          .as(name)
          .isInstanceOf(InvalidCertificationRequestException.class)
          .hasMessageContaining("names someone or something other than you");
    }
  }

  @Test
  void aFlippedSignatureBitIsCaught() throws Exception {
    KeyPair device = keyPair("P-384");
    byte[] der = request(device, device, "SHA384withECDSA");
    der[der.length - 5] ^= 0x01; // inside the signature's r or s

    assertThatThrownBy(() -> CertificationRequests.checkedPublicKey(der, DEVICE, ALICE))
        .isInstanceOf(InvalidCertificationRequestException.class);
  }
}
