package io.redoubt.client.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Security;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RevocationCheckTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final X500Name CA_NAME = new X500Name("CN=Agency Device CA,O=Agency");

  private static KeyPair caKeys;
  private static X509Certificate ca;
  private static X509Certificate revoked;
  private static X509Certificate active;

  @BeforeAll
  static void aCaAndTwoDevices() throws Exception {
    if (Security.getProvider("BCFIPS") == null) {
      // First in the list, like the other client tests: default SecureRandoms must be approved.
      Security.insertProviderAt(new BouncyCastleFipsProvider(), 1);
    }
    caKeys = p384();
    ca = certificate(CA_NAME, caKeys.getPublic(), BigInteger.ONE, true);
    revoked = certificate(new X500Name("CN=lost phone"), p384().getPublic(), BigInteger.TWO, false);
    active = certificate(new X500Name("CN=laptop"), p384().getPublic(), BigInteger.TEN, false);
  }

  private static KeyPair p384() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("P-384"));
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(
      X500Name subject, PublicKey key, BigInteger serial, boolean isCa) throws Exception {
    var utils = new JcaX509ExtensionUtils();
    var builder =
        new JcaX509v3CertificateBuilder(
            CA_NAME,
            serial,
            Date.from(NOW.minus(Duration.ofDays(1))),
            Date.from(NOW.plus(Duration.ofDays(30))),
            subject,
            key);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) {
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
    }
    return new JcaX509CertificateConverter()
        .setProvider("BCFIPS")
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA384withECDSA")
                    .setProvider("BCFIPS")
                    .build(caKeys.getPrivate())));
  }

  private static X509CRL crl(KeyPair signer, long number, Instant thisUpdate, Duration validity)
      throws Exception {
    var builder = new X509v2CRLBuilder(CA_NAME, Date.from(thisUpdate));
    builder.setNextUpdate(Date.from(thisUpdate.plus(validity)));
    builder.addCRLEntry(revoked.getSerialNumber(), Date.from(thisUpdate.minusSeconds(60)), null);
    builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
    builder.addExtension(
        Extension.authorityKeyIdentifier,
        false,
        new AuthorityKeyIdentifier(
            new JcaX509ExtensionUtils()
                .createSubjectKeyIdentifier(caKeys.getPublic())
                .getKeyIdentifier()));
    return new JcaX509CRLConverter()
        .setProvider("BCFIPS")
        .getCRL(
            builder.build(
                new JcaContentSignerBuilder("SHA384withECDSA")
                    .setProvider("BCFIPS")
                    .build(signer.getPrivate())));
  }

  @Test
  void aCurrentListFromTheCaSaysWhichCertificateIsRevoked() throws Exception {
    X509CRL crl = crl(caKeys, 5, NOW.minus(Duration.ofHours(1)), Duration.ofHours(24));

    RevocationCheck.Verified verified =
        RevocationCheck.verify(crl.getEncoded(), ca, NOW, BigInteger.valueOf(4));

    assertThat(verified.isRevoked(revoked)).isTrue();
    assertThat(verified.isRevoked(active)).isFalse();
    assertThat(verified.number()).isEqualTo(5);
    assertThat(verified.nextUpdate()).isEqualTo(NOW.plus(Duration.ofHours(23)));
  }

  @Test
  void refusesAListSignedByAnotherKey() throws Exception {
    X509CRL forged = crl(p384(), 5, NOW, Duration.ofHours(24));

    assertThatThrownBy(() -> RevocationCheck.verify(forged, ca, NOW, null))
        .isInstanceOf(UntrustedRevocationListException.class)
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void refusesAnExpiredListAndOneFromTheFuture() throws Exception {
    X509CRL expired = crl(caKeys, 5, NOW.minus(Duration.ofHours(25)), Duration.ofHours(24));
    X509CRL future = crl(caKeys, 5, NOW.plus(Duration.ofHours(1)), Duration.ofHours(24));

    assertThatThrownBy(() -> RevocationCheck.verify(expired, ca, NOW, null))
        .isInstanceOf(UntrustedRevocationListException.class)
        .hasMessageContaining("expired");
    assertThatThrownBy(() -> RevocationCheck.verify(future, ca, NOW, null))
        .isInstanceOf(UntrustedRevocationListException.class)
        .hasMessageContaining("in the future");
  }

  @Test
  void refusesAnOlderListThanOneSeen() throws Exception {
    X509CRL older = crl(caKeys, 5, NOW, Duration.ofHours(24));

    assertThatThrownBy(() -> RevocationCheck.verify(older, ca, NOW, BigInteger.valueOf(6)))
        .isInstanceOf(UntrustedRevocationListException.class)
        .hasMessageContaining("older");
  }

  @Test
  void refusesAListFromAnotherCaAndGarbage() throws Exception {
    X509Certificate otherCa =
        certificate(new X500Name("CN=Other CA"), caKeys.getPublic(), BigInteger.ONE, true);
    X509CRL crl = crl(caKeys, 5, NOW, Duration.ofHours(24));

    assertThatThrownBy(() -> RevocationCheck.verify(crl, otherCa, NOW, null))
        .isInstanceOf(UntrustedRevocationListException.class)
        .hasMessageContaining("not by the CA");
    assertThatThrownBy(() -> RevocationCheck.verify(new byte[] {1, 2, 3}, ca, NOW, null))
        .isInstanceOf(UntrustedRevocationListException.class)
        .hasMessageContaining("not a DER X.509 CRL");
  }

  @Test
  void aCertificateOfAnotherCaCannotBeJudged() throws Exception {
    X509CRL crl = crl(caKeys, 5, NOW, Duration.ofHours(24));
    RevocationCheck.Verified verified = RevocationCheck.verify(crl, ca, NOW, null);

    X509Certificate stranger = otherIssuer(); // serial 2, like the revoked one

    assertThatThrownBy(() -> verified.isRevoked(stranger))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static X509Certificate otherIssuer() throws Exception {
    KeyPair other = p384();
    var builder =
        new JcaX509v3CertificateBuilder(
            new X500Name("CN=Elsewhere"),
            BigInteger.TWO,
            Date.from(NOW.minus(Duration.ofDays(1))),
            Date.from(NOW.plus(Duration.ofDays(1))),
            new X500Name("CN=stranger"),
            other.getPublic());
    return new JcaX509CertificateConverter()
        .setProvider("BCFIPS")
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA384withECDSA")
                    .setProvider("BCFIPS")
                    .build(other.getPrivate())));
  }
}
