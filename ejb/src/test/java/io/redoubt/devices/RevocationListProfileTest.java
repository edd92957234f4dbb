package io.redoubt.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.redoubt.keys.AgencyPki;
import io.redoubt.keys.CaCertificateProfile;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.Security;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RevocationListProfileTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  private static KeyPair caKeys;
  private static X509Certificate ca;

  @BeforeAll
  static void organisationCa() throws Exception {
    caKeys = AgencyPki.p384();
    ca =
        CaCertificateProfile.selfSigned(
            "Agency", caKeys.getPublic(), caKeys.getPrivate(), Security.getProvider("BCFIPS"), NOW);
  }

  private static X509CRL issue(long number, List<RevocationListProfile.Entry> entries)
      throws Exception {
    return RevocationListProfile.issue(
        ca,
        new JcaContentSignerBuilder("SHA384withECDSA")
            .setProvider("BCFIPS")
            .build(caKeys.getPrivate()),
        BigInteger.valueOf(number),
        NOW,
        NOW.plus(Duration.ofHours(24)),
        entries);
  }

  @Test
  void aV2CrlSignedByTheCaWithNumberKeyIdentifierAndEntries() throws Exception {
    BigInteger revoked = new BigInteger("123456789012345678901234567890");
    Instant revokedAt = NOW.minusSeconds(3600);

    X509CRL crl = issue(7, List.of(new RevocationListProfile.Entry(revoked, revokedAt)));

    crl.verify(ca.getPublicKey(), "BCFIPS");
    assertThat(crl.getVersion()).isEqualTo(2);
    assertThat(crl.getSigAlgName()).isEqualToIgnoringCase("SHA384WITHECDSA");
    assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    assertThat(crl.getThisUpdate().toInstant()).isEqualTo(NOW);
    assertThat(crl.getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    assertThat(
            ASN1Integer.getInstance(
                    ASN1OctetString.getInstance(crl.getExtensionValue("2.5.29.20")).getOctets())
                .getValue())
        .isEqualTo(7);
    assertThat(
            AuthorityKeyIdentifier.getInstance(
                    ASN1OctetString.getInstance(crl.getExtensionValue("2.5.29.35")).getOctets())
                .getKeyIdentifier())
        .isEqualTo(AgencyPki.keyIdentifier(ca));
    assertThat(crl.getRevokedCertificates()).hasSize(1);
    var entry = crl.getRevokedCertificate(revoked);
    assertThat(entry.getRevocationDate().toInstant()).isEqualTo(revokedAt);
    assertThat(entry.hasExtensions()).as("no reason code: RFC 5280 5.3.1").isFalse();
  }

  @Test
  void anEmptyListIsStillSignedAndNumbered() throws Exception {
    X509CRL crl = issue(1, List.of());

    crl.verify(ca.getPublicKey(), "BCFIPS");
    assertThat(crl.getRevokedCertificates()).isNull();
  }

  @Test
  void aListIsCurrentUntilHalfItsValidityOrANewerRevocation() {
    var list =
        new IssuedRevocationList(
            BigInteger.ONE, 41, NOW, NOW.plus(Duration.ofHours(24)), new byte[] {1});

    assertThat(list.isCurrent(41, NOW.plus(Duration.ofHours(11)))).isTrue();
    assertThat(list.isCurrent(-1, NOW)).isTrue();
    assertThat(list.isCurrent(42, NOW)).as("a revocation it does not list").isFalse();
    assertThat(list.isCurrent(41, NOW.plus(Duration.ofHours(12)))).as("half aged").isFalse();
  }
}
