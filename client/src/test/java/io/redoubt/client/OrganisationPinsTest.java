package io.redoubt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.client.device.TestCa;
import io.redoubt.protocol.api.InfoResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrganisationPinsTest {

  private static KeyPair caKey;
  private static KeyPair logKey;
  private static X509Certificate logCertificate;

  @BeforeAll
  static void keys() throws Exception {
    if (Security.getProvider("BCFIPS") == null) {
      Security.insertProviderAt(new BouncyCastleFipsProvider(), 1);
    }
    caKey = p384();
    logKey = p384();
    logCertificate = log(logKey);
  }

  @Test
  void theSameCaKeyAndNameRecertifiedIsStillThePinnedCa() throws Exception {
    OrganisationPins pins =
        OrganisationPins.fromInfo(info(ca(caKey, "CN=Device CA"), logCertificate));

    // Another certificate for the same name and key, as after an intermediate import.
    pins.requireUnchanged(info(ca(caKey, "CN=Device CA"), logCertificate));
  }

  @Test
  void anotherCaKeyOrNameIsRefused() throws Exception {
    OrganisationPins pins =
        OrganisationPins.fromInfo(info(ca(caKey, "CN=Device CA"), logCertificate));

    assertThatThrownBy(
            () -> pins.requireUnchanged(info(ca(p384(), "CN=Device CA"), logCertificate)))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("device CA changed");
    assertThatThrownBy(() -> pins.requireUnchanged(info(ca(caKey, "CN=Other CA"), logCertificate)))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("device CA changed");
  }

  @Test
  void anotherLogCertificateIsRefused() throws Exception {
    OrganisationPins pins =
        OrganisationPins.fromInfo(info(ca(caKey, "CN=Device CA"), logCertificate));

    assertThatThrownBy(() -> pins.requireUnchanged(info(ca(caKey, "CN=Device CA"), log(p384()))))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("transparency-log key changed");
  }

  @Test
  void fingerprintsThatDoNotMatchTheCertificatesAreRefused() throws Exception {
    X509Certificate ca = ca(caKey, "CN=Device CA");
    X509Certificate log = logCertificate;
    InfoResponse honest = info(ca, log);
    InfoResponse lying =
        new InfoResponse(
            "Redoubt",
            "test",
            "Test",
            null,
            honest.caCertificateChainPem(),
            List.of(sha384Hex(log)),
            honest.transparencyLogCertificatePem(),
            honest.transparencyLogFingerprintSha384(),
            null);

    assertThat(OrganisationPins.fromInfo(honest).deviceCa()).isEqualTo(ca);
    assertThatThrownBy(() -> OrganisationPins.fromInfo(lying))
        .isInstanceOf(GeneralSecurityException.class);
  }

  private static X509Certificate ca(KeyPair key, String name) throws Exception {
    return TestCa.selfSigned(key, name);
  }

  private static X509Certificate log(KeyPair key) throws Exception {
    return TestCa.selfSigned(key, "CN=Transparency Log");
  }

  private static InfoResponse info(X509Certificate ca, X509Certificate log) throws Exception {
    return new InfoResponse(
        "Redoubt",
        "test",
        "Test",
        null,
        pem(ca),
        List.of(sha384Hex(ca)),
        pem(log),
        sha384Hex(log),
        null);
  }

  private static String pem(X509Certificate certificate) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private static String sha384Hex(X509Certificate certificate) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-384", "BCFIPS").digest(certificate.getEncoded()));
  }

  private static KeyPair p384() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("P-384"));
    return generator.generateKeyPair();
  }
}
