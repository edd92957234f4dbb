package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.redoubt.client.AccessToken;
import io.redoubt.client.trust.RevocationCheck;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The CA-signed revocation list: public, signed in the HSM, current after every revocation. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RevocationListIT {

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    return Deployments.builtEar();
  }

  @BeforeAll
  static void clientFipsModule() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
  }

  @Test
  void aRevokedDeviceIsOnTheNextCaSignedListAndAnActiveOneIsNot() throws Exception {
    X509Certificate ca =
        EnrolledDevices.certificates(Lab.client().info().caCertificateChainPem()).get(0);
    AccessToken carol = Lab.signIn("carol");
    EnrolledDevices.revokeAllActive(carol);
    X509CRL first = verified(fetch(), ca);
    EnrolledDevices.Enrolled lost = EnrolledDevices.enroll(carol, "lost phone");
    EnrolledDevices.Enrolled kept = EnrolledDevices.enroll(carol, "laptop");

    Instant revokedAround = Instant.now();
    EnrolledDevices.revoke(carol, lost.deviceId());
    HttpResponse<byte[]> response = fetch();
    X509CRL crl = verified(response, ca);

    assertThat(number(crl)).isGreaterThan(number(first));
    var entry = crl.getRevokedCertificate(lost.certificate().getSerialNumber());
    assertThat(entry).as("the revoked device's serial is listed").isNotNull();
    assertThat(Duration.between(revokedAround, entry.getRevocationDate().toInstant()).abs())
        .isLessThan(Duration.ofMinutes(1));
    assertThat(crl.getRevokedCertificate(kept.certificate().getSerialNumber())).isNull();
    assertThat(Duration.between(crl.getThisUpdate().toInstant(), crl.getNextUpdate().toInstant()))
        .isEqualTo(Duration.ofHours(24));
    assertThat(
            AuthorityKeyIdentifier.getInstance(
                    ASN1OctetString.getInstance(crl.getExtensionValue("2.5.29.35")).getOctets())
                .getKeyIdentifier())
        .isEqualTo(io.redoubt.keys.AgencyPki.keyIdentifier(ca));

    // Not re-signed on every fetch: the same list until the next revocation or half its life.
    X509CRL again = verified(fetch(), ca);
    assertThat(number(again)).isEqualTo(number(crl));
    assertThat(again.getEncoded()).isEqualTo(crl.getEncoded());
    String etag = response.headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> unchanged =
        send(Http.request("/api/v1/revocations").header("If-None-Match", etag).GET());
    assertThat(unchanged.statusCode()).isEqualTo(304);

    // The SDK's check says the same, with the list's signature verified against the pinned CA.
    RevocationCheck.Verified checked =
        RevocationCheck.verify(Lab.client().revocationList(), ca, Instant.now(), number(first));
    assertThat(checked.isRevoked(lost.certificate())).isTrue();
    assertThat(checked.isRevoked(kept.certificate())).isFalse();

    EnrolledDevices.revoke(carol, kept.deviceId());
    assertThat(number(verified(fetch(), ca))).isGreaterThan(number(crl));
  }

  private static HttpResponse<byte[]> fetch() throws Exception {
    // No token: the list is public.
    HttpResponse<byte[]> response = send(Http.request("/api/v1/revocations").GET());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
    return response;
  }

  private static X509CRL verified(HttpResponse<byte[]> response, X509Certificate ca)
      throws Exception {
    X509CRL crl =
        (X509CRL)
            CertificateFactory.getInstance("X.509", "BCFIPS")
                .generateCRL(new ByteArrayInputStream(response.body()));
    crl.verify(ca.getPublicKey(), "BCFIPS");
    assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    assertThat(crl.getSigAlgName()).isEqualToIgnoringCase("SHA384WITHECDSA");
    assertThat(crl.getNextUpdate().toInstant()).isAfter(Instant.now());
    return crl;
  }

  private static BigInteger number(X509CRL crl) {
    return ASN1Integer.getInstance(
            ASN1OctetString.getInstance(crl.getExtensionValue("2.5.29.20")).getOctets())
        .getValue();
  }

  private static HttpResponse<byte[]> send(java.net.http.HttpRequest.Builder request)
      throws Exception {
    return HttpClient.newBuilder()
        .sslContext(Lab.tls())
        .build()
        .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
