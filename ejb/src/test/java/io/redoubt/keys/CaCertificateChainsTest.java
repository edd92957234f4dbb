package io.redoubt.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What may become the device CA's certificate chain, and what is refused with which reason. */
class CaCertificateChainsTest {

  private KeyPair caKeys;
  private X509Certificate selfSigned;
  private AgencyPki agency;

  @BeforeAll
  static void fipsProvider() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
  }

  @BeforeEach
  void aSelfSignedCaAndAnAgency() throws Exception {
    caKeys = AgencyPki.p384();
    selfSigned =
        CaCertificateProfile.selfSigned(
            "Agency",
            caKeys.getPublic(),
            caKeys.getPrivate(),
            Security.getProvider("BCFIPS"),
            Instant.now());
    agency = AgencyPki.root("Agency Root CA");
  }

  private PKCS10CertificationRequest request() throws Exception {
    return CaCertificateProfile.certificationRequest(
        selfSigned,
        new JcaContentSignerBuilder("SHA384withECDSA")
            .setProvider("BCFIPS")
            .build(caKeys.getPrivate()));
  }

  private static List<X509Certificate> chain(X509Certificate first, List<X509Certificate> rest) {
    var chain = new ArrayList<X509Certificate>();
    chain.add(first);
    chain.addAll(rest);
    return chain;
  }

  private void assertRefused(List<X509Certificate> chain, String reason) {
    assertThatThrownBy(() -> CaCertificateChains.checked(chain, selfSigned, Instant.now()))
        .isInstanceOf(InvalidCaCertificateException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void theRequestCarriesTheCaNameKeyAndKeyIdentifierAndIsSignedByTheCaKey() throws Exception {
    PKCS10CertificationRequest request = request();

    assertThat(request.getSubject().getEncoded())
        .isEqualTo(selfSigned.getSubjectX500Principal().getEncoded());
    assertThat(request.getSubjectPublicKeyInfo().getEncoded())
        .isEqualTo(caKeys.getPublic().getEncoded());
    assertThat(
            request.isSignatureValid(
                new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                    .setProvider("BCFIPS")
                    .build(caKeys.getPublic())))
        .isTrue();
    assertThat(agency.certify(request).getExtensionValue("2.5.29.14"))
        .as("the agency copies the requested key identifier")
        .isEqualTo(selfSigned.getExtensionValue("2.5.29.14"));
  }

  @Test
  void acceptsTheAgencySignedCertificateWithItsRoot() throws Exception {
    var chain = chain(agency.certify(request()), agency.chain());

    assertThat(CaCertificateChains.checked(chain, selfSigned, Instant.now())).isEqualTo(chain);
  }

  @Test
  void acceptsADeeperChainThroughAnIssuingCa() throws Exception {
    AgencyPki issuing = agency.subordinate("Agency Issuing CA");
    var chain = chain(issuing.certify(request()), issuing.chain());

    assertThat(CaCertificateChains.checked(chain, selfSigned, Instant.now())).hasSize(3);
  }

  @Test
  void acceptsTheSelfSignedCertificateAloneToReturnToIt() throws Exception {
    assertThat(CaCertificateChains.checked(List.of(selfSigned), selfSigned, Instant.now()))
        .containsExactly(selfSigned);
  }

  @Test
  void refusesACertificateForAnotherKey() throws Exception {
    KeyPair other = AgencyPki.p384();
    X509Certificate forOther =
        agency.issue(
            selfSigned.getSubjectX500Principal(),
            other.getPublic(),
            true,
            AgencyPki.keyIdentifier(selfSigned));

    assertRefused(chain(forOther, agency.chain()), "another key");
  }

  @Test
  void refusesAnEndEntityCertificate() throws Exception {
    X509Certificate endEntity =
        agency.issue(
            selfSigned.getSubjectX500Principal(),
            caKeys.getPublic(),
            false,
            AgencyPki.keyIdentifier(selfSigned));

    assertRefused(chain(endEntity, agency.chain()), "not a CA certificate");
  }

  @Test
  void refusesAnotherSubject() throws Exception {
    X509Certificate renamed =
        agency.issue(
            new X500Principal("CN=Someone Else, O=Agency"),
            caKeys.getPublic(),
            true,
            AgencyPki.keyIdentifier(selfSigned));

    assertRefused(chain(renamed, agency.chain()), "subject");
  }

  @Test
  void refusesAnotherKeyIdentifier() throws Exception {
    X509Certificate otherId =
        agency.issue(
            selfSigned.getSubjectX500Principal(), caKeys.getPublic(), true, new byte[] {1, 2, 3});

    assertRefused(chain(otherId, agency.chain()), "SubjectKeyIdentifier");
  }

  @Test
  void refusesAChainWithoutItsRoot() throws Exception {
    assertRefused(List.of(agency.certify(request())), "not a self-signed root");
  }

  @Test
  void refusesAChainToAnotherRoot() throws Exception {
    AgencyPki stranger = AgencyPki.root("Agency Root CA"); // same name, another key

    assertRefused(chain(agency.certify(request()), stranger.chain()), "does not validate");
  }

  @Test
  void refusesAnExpiredCertificate() throws Exception {
    X509Certificate expired =
        agency.issue(
            selfSigned.getSubjectX500Principal(),
            caKeys.getPublic(),
            true,
            AgencyPki.keyIdentifier(selfSigned),
            Instant.now().minus(Duration.ofDays(10)),
            Duration.ofDays(1));

    assertRefused(chain(expired, agency.chain()), "does not validate");
  }

  @Test
  void refusesARootOffTheCurveAllowList() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("P-256"));
    KeyPair p256 = generator.generateKeyPair();
    var subject = new X500Principal("CN=Weak Root");
    X509Certificate weakRoot =
        new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
            .setProvider("BCFIPS")
            .getCertificate(
                new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                        subject,
                        java.math.BigInteger.TEN,
                        new java.util.Date(),
                        new java.util.Date(System.currentTimeMillis() + 86_400_000L),
                        subject,
                        p256.getPublic())
                    .build(
                        new JcaContentSignerBuilder("SHA256withECDSA")
                            .setProvider("BCFIPS")
                            .build(p256.getPrivate())));

    assertRefused(chain(agency.certify(request()), List.of(weakRoot)), "P-384");
  }

  @Test
  void parsesPemAndRefusesWhatIsNotPem() throws Exception {
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + java.util.Base64.getMimeEncoder().encodeToString(selfSigned.getEncoded())
            + "\n-----END CERTIFICATE-----\n";

    assertThat(CaCertificateChains.parsePem(pem + pem)).containsExactly(selfSigned, selfSigned);
    assertThatThrownBy(() -> CaCertificateChains.parsePem("hello"))
        .isInstanceOf(InvalidCaCertificateException.class)
        .hasMessageContaining("no PEM certificate");
    assertThatThrownBy(
            () ->
                CaCertificateChains.parsePem(
                    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
        .isInstanceOf(InvalidCaCertificateException.class);
  }
}
