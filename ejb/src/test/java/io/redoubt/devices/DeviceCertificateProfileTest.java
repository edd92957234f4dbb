package io.redoubt.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.keys.AgencyPki;
import io.redoubt.keys.CaCertificateProfile;
import io.redoubt.protocol.DisallowedKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeviceCertificateProfileTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final UUID DEVICE = UUID.fromString("0190a3c4-2222-7000-8000-00000000000a");
  private static final String ALICE = "df5ce4e0-3230-42fd-b208-d22f1350416d";

  private static KeyPair caKeys;
  private static X509Certificate ca;

  @BeforeAll
  static void organisationCa() throws Exception {
    if (Security.getProvider("BCFIPS") == null) {
      Security.insertProviderAt(new BouncyCastleFipsProvider(), 1);
    }
    caKeys = keyPair("P-384");
    ca =
        CaCertificateProfile.selfSigned(
            "Agency",
            caKeys.getPublic(),
            caKeys.getPrivate(),
            Security.getProvider("BCFIPS"),
            NOW.minus(Duration.ofDays(1)));
  }

  private static KeyPair keyPair(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  private static X509Certificate issue(ECPublicKey deviceKey) throws Exception {
    return DeviceCertificateProfile.issue(
        ca,
        new JcaContentSignerBuilder("SHA384withECDSA")
            .setProvider("BCFIPS")
            .build(caKeys.getPrivate()),
        "Agency",
        ALICE,
        DEVICE,
        deviceKey,
        NOW,
        DeviceCertificateProfile.DEFAULT_VALIDITY);
  }

  @Test
  void theCertificateChainsToTheOrganisationCaUnderPkix() throws Exception {
    X509Certificate device = issue((ECPublicKey) keyPair("P-384").getPublic());

    var factory = CertificateFactory.getInstance("X.509", "BCFIPS");
    var parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false); // revocation is the transparency log and the CRL
    parameters.setDate(Date.from(NOW));
    CertPathValidator.getInstance("PKIX", "BCFIPS")
        .validate(factory.generateCertPath(List.of(device)), parameters);
  }

  @Test
  void followsTheProfile() throws Exception {
    ECPublicKey deviceKey = (ECPublicKey) keyPair("P-384").getPublic();

    X509Certificate device = issue(deviceKey);

    assertThat(device.getSubjectX500Principal().getName()).isEqualTo("CN=" + DEVICE + ",O=Agency");
    assertThat(device.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    assertThat(device.getPublicKey().getEncoded()).isEqualTo(deviceKey.getEncoded());
    assertThat(device.getSigAlgName()).isEqualToIgnoringCase("SHA384WITHECDSA");
    assertThat(device.getBasicConstraints()).isEqualTo(-1); // not a CA
    assertThat(device.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(device.getKeyUsage()[5]).as("keyCertSign").isFalse();
    assertThat(device.getExtendedKeyUsage())
        .containsExactly("2.25.6803106302403272843231992851845464659.1");
    assertThat(device.getSubjectAlternativeNames())
        .containsExactly(List.of(6, "urn:redoubt:device:" + ALICE + ":" + DEVICE));
    assertThat(device.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(365)));
    assertThat(device.getCriticalExtensionOIDs()).contains("2.5.29.15", "2.5.29.19");
  }

  @Test
  void refusesKeysOffTheAllowListAndAmbiguousUserIds() throws Exception {
    assertThatThrownBy(() -> issue((ECPublicKey) keyPair("P-256").getPublic()))
        .isInstanceOf(DisallowedKeyException.class);
    assertThatThrownBy(
            () ->
                DeviceCertificateProfile.issue(
                    ca,
                    new JcaContentSignerBuilder("SHA384withECDSA")
                        .setProvider("BCFIPS")
                        .build(caKeys.getPrivate()),
                    "Agency",
                    "alice:evil",
                    DEVICE,
                    (ECPublicKey) keyPair("P-384").getPublic(),
                    NOW,
                    Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCertificateIssuedBeforeTheCaBecameAnIntermediateChainsToTheAgencyRoot() throws Exception {
    Instant now = Instant.now();
    X509Certificate selfSigned =
        CaCertificateProfile.selfSigned(
            "Agency", caKeys.getPublic(), caKeys.getPrivate(), Security.getProvider("BCFIPS"), now);
    var caSigner =
        new JcaContentSignerBuilder("SHA384withECDSA")
            .setProvider("BCFIPS")
            .build(caKeys.getPrivate());
    X509Certificate device =
        DeviceCertificateProfile.issue(
            selfSigned,
            caSigner,
            "Agency",
            ALICE,
            DEVICE,
            (ECPublicKey) keyPair("P-384").getPublic(),
            now,
            Duration.ofDays(1));
    AgencyPki agency = AgencyPki.root("Agency Root CA");
    X509Certificate intermediate =
        agency.certify(
            CaCertificateProfile.certificationRequest(
                selfSigned,
                new JcaContentSignerBuilder("SHA384withECDSA")
                    .setProvider("BCFIPS")
                    .build(caKeys.getPrivate())));

    // The device certificate names its issuer by key identifier only, which the agency kept.
    byte[] authorityKeyId =
        org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(
                        device.getExtensionValue("2.5.29.35"))
                    .getOctets())
            .getKeyIdentifier();
    assertThat(authorityKeyId).isEqualTo(AgencyPki.keyIdentifier(intermediate));
    var factory = CertificateFactory.getInstance("X.509", "BCFIPS");
    var parameters = new PKIXParameters(Set.of(new TrustAnchor(agency.certificate(), null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX", "BCFIPS")
        .validate(factory.generateCertPath(List.of(device, intermediate)), parameters);
  }
}
