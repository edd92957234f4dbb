package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.redoubt.client.AccessToken;
import io.redoubt.keys.AgencyPki;
import io.redoubt.protocol.api.InfoResponse;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Security;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The device CA made an intermediate of an agency's PKI, as an administrator would do it with the
 * {@code redoubt} command: request, signature by a test "agency root" (BCFIPS, P-384), import.
 *
 * <p>This changes the server's global CA chain, which other suites read from {@code /info}. Every
 * test therefore puts back the chain it found (the lab's self-signed certificate, re-imported: the
 * import accepts it because the HSM's own key signed it), so that the suites run in any order.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class IntermediateCaIT {

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    return Deployments.builtEar();
  }

  private String chainFound;
  @RegisterExtension final CliRun cli = new CliRun();

  @BeforeAll
  static void clientFipsModule() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
  }

  @BeforeEach
  void rememberTheChain() throws Exception {
    chainFound = Lab.client().info().caCertificateChainPem();
  }

  @AfterEach
  void putTheChainBack() throws Exception {
    if (!Lab.client().info().caCertificateChainPem().equals(chainFound)) {
      HttpResponse<String> restored = putChain(Lab.signIn("ann"), chainFound);
      assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
    }
    assertThat(Lab.client().info().caCertificateChainPem()).isEqualTo(chainFound);
  }

  @Test
  void anAdministratorMakesTheCaAnIntermediateAndOldAndNewDevicesChainToTheAgencyRoot()
      throws Exception {
    X509Certificate caBefore = EnrolledDevices.certificates(chainFound).get(0);
    AccessToken alice = Lab.signIn("alice");
    EnrolledDevices.revokeAllActive(alice);
    EnrolledDevices.Enrolled before = EnrolledDevices.enroll(alice, "enrolled before the import");

    // 1. The administrator fetches the request the HSM signed.
    assertThat(cli.login(null, "ann")).as(cli::err).isZero();
    Path csrFile = cli.home().resolve("redoubt-ca.csr");
    assertThat(cli.redoubt(null, "admin", "ca", "csr", "--out", csrFile.toString())).isZero();
    PKCS10CertificationRequest csr = readRequest(Files.readString(csrFile));
    assertThat(csr.getSubject().getEncoded())
        .isEqualTo(caBefore.getSubjectX500Principal().getEncoded());
    assertThat(csr.getSubjectPublicKeyInfo().getEncoded())
        .isEqualTo(caBefore.getPublicKey().getEncoded());

    // 2. The agency signs it (certify checks the request's signature: proof of the HSM key).
    AgencyPki agency = AgencyPki.root("IT Agency Root " + UUID.randomUUID());
    X509Certificate intermediate = agency.certify(csr);
    Path chainFile =
        Files.writeString(
            cli.home().resolve("chain.pem"), pem(List.of(intermediate, agency.certificate())));

    // 3. The administrator imports the chain.
    assertThat(cli.redoubt(null, "admin", "ca", "import", chainFile.toString())).isZero();
    assertThat(cli.out()).contains("2 certificate(s)").contains(sha384(intermediate));

    InfoResponse info = Lab.client().info();
    assertThat(EnrolledDevices.certificates(info.caCertificateChainPem()))
        .containsExactly(intermediate, agency.certificate());
    assertThat(info.caFingerprintsSha384())
        .containsExactly(sha384(intermediate), sha384(agency.certificate()));

    EnrolledDevices.Enrolled after = EnrolledDevices.enroll(alice, "enrolled after the import");
    assertThat(after.chain())
        .as("device, intermediate, agency root")
        .hasSize(3)
        .endsWith(intermediate, agency.certificate());
    validates(List.of(after.certificate(), intermediate), agency.certificate());
    validates(List.of(before.certificate(), intermediate), agency.certificate());
    // The old trust anchor (same name and key) still accepts both, so clients that pinned the
    // self-signed certificate keep working through the change.
    validates(List.of(after.certificate()), caBefore);

    EnrolledDevices.revoke(alice, before.deviceId());
    EnrolledDevices.revoke(alice, after.deviceId());
  }

  @Test
  void refusedChainsChangeNothing() throws Exception {
    AccessToken ann = Lab.signIn("ann");
    X509Certificate ca = EnrolledDevices.certificates(chainFound).get(0);
    byte[] keyId = AgencyPki.keyIdentifier(ca);
    AgencyPki agency = AgencyPki.root("IT Agency Root " + UUID.randomUUID());
    KeyPair otherKey = AgencyPki.p384();
    PKCS10CertificationRequest csr = readRequest(certificationRequest(ann).body());

    assertRefused(
        ann,
        List.of(
            agency.issue(ca.getSubjectX500Principal(), otherKey.getPublic(), true, keyId),
            agency.certificate()),
        "another key");
    assertRefused(
        ann,
        List.of(
            agency.issue(ca.getSubjectX500Principal(), ca.getPublicKey(), false, keyId),
            agency.certificate()),
        "not a CA");
    AgencyPki stranger = AgencyPki.root("IT Stranger Root " + UUID.randomUUID());
    assertRefused(ann, List.of(agency.certify(csr), stranger.certificate()), "does not validate");
    assertRefused(ann, List.of(agency.certify(csr)), "not a self-signed root");
    Http.assertProblem(putChain(ann, "not a certificate"), 400);

    assertThat(Lab.client().info().caCertificateChainPem()).isEqualTo(chainFound);
  }

  @Test
  void onlyAdministratorsReachTheCaEndpoints() throws Exception {
    AccessToken alice = Lab.signIn("alice");

    Http.assertProblem(certificationRequest(alice), 403);
    Http.assertProblem(putChain(alice, chainFound), 403);
    Http.assertProblem(Http.get("/api/v1/admin/ca/certification-request", null), 401);

    assertThat(cli.login(null, "alice")).as(cli::err).isZero();
    assertThat(cli.redoubt(null, "admin", "ca", "csr")).isEqualTo(1);
    assertThat(cli.err()).contains("only administrators");
  }

  private static void assertRefused(AccessToken ann, List<X509Certificate> chain, String reason)
      throws Exception {
    assertThat(Http.assertProblem(putChain(ann, pem(chain)), 400).path("detail").asText())
        .contains(reason);
  }

  private static HttpResponse<String> certificationRequest(AccessToken token) throws Exception {
    return Http.send(
        Http.request("/api/v1/admin/ca/certification-request")
            .header("Authorization", token.authorization())
            .GET());
  }

  private static HttpResponse<String> putChain(AccessToken token, String pem) throws Exception {
    return Http.send(
        Http.request("/api/v1/admin/ca/certificate")
            .header("Authorization", token.authorization())
            .header("Content-Type", "application/x-pem-file")
            .PUT(HttpRequest.BodyPublishers.ofString(pem)));
  }

  private static PKCS10CertificationRequest readRequest(String pem) throws Exception {
    try (var parser = new PEMParser(new StringReader(pem))) {
      return (PKCS10CertificationRequest) parser.readObject();
    }
  }

  private static void validates(List<X509Certificate> path, X509Certificate anchor)
      throws Exception {
    var parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX", "BCFIPS")
        .validate(
            CertificateFactory.getInstance("X.509", "BCFIPS").generateCertPath(path), parameters);
  }

  private static String pem(List<X509Certificate> chain) throws Exception {
    var text = new StringBuilder();
    for (X509Certificate certificate : chain) {
      text.append("-----BEGIN CERTIFICATE-----\n")
          .append(
              Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    return text.toString();
  }

  private static String sha384(X509Certificate certificate) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-384").digest(certificate.getEncoded()));
  }
}
