package io.redoubt.client.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.client.OrganisationPins;
import io.redoubt.client.device.TestCa;
import io.redoubt.client.transparency.FakeLog;
import io.redoubt.client.transparency.SignedHeads;
import io.redoubt.protocol.transparency.TreeHead;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device checks with a throwaway CA and an in-memory log: a logged device passes; a certificate
 * the CA signed but nobody logged, one from another CA, one naming another user, and one whose
 * proof is wrong are rejected, each with its reason.
 */
class DeviceVerifierTest {

  private static final String ALICE = "alice-subject";
  private static final String DEVICE = "3f0e4b8e-8f5e-4c53-9b1a-0d1c2b3a4f5e";

  private static KeyPair ca;
  private static X509Certificate caCertificate;
  private FakeLog log;
  private DeviceVerifier verifier;

  @BeforeAll
  static void aCa() throws Exception {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
    ca = p384();
    caCertificate = certificate(ca, "CN=Test CA", ca.getPublic(), null, true);
  }

  @BeforeEach
  void aLog() throws Exception {
    log = new FakeLog();
    log.noise(10);
    verifier =
        new DeviceVerifier(
            new OrganisationPins(pem(caCertificate), pem(caCertificate)), log, Clock.systemUTC());
  }

  private static KeyPair p384() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(
      KeyPair issuer, String subject, PublicKey key, String san, boolean isCa) throws Exception {
    return TestCa.profiled(
        issuer,
        new X500Name(isCa ? subject : "CN=Test CA"),
        new X500Name(subject),
        key,
        isCa ? null : san);
  }

  private static X509Certificate device(KeyPair issuer, String userId) throws Exception {
    return certificate(
        issuer,
        "CN=" + DEVICE,
        p384().getPublic(),
        DeviceVerifier.deviceUri(userId, DEVICE),
        false);
  }

  private static String pem(X509Certificate certificate) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private long logIssue(X509Certificate certificate) throws Exception {
    return log.issue(ALICE, DEVICE, OrganisationPins.sha384(certificate));
  }

  private TreeHead head() throws Exception {
    return SignedHeads.verify(log.newestHead(), log.logKey());
  }

  @Test
  void aLoggedDeviceOfTheOrganisationCaIsAccepted() throws Exception {
    X509Certificate certificate = device(ca, ALICE);
    long index = logIssue(certificate);
    log.noise(5);
    TreeHead head = head();

    VerifiedDevice verified =
        verifier.verify(
            ALICE,
            DEVICE,
            pem(certificate),
            index,
            log.inclusionProof(index, head.treeSize()),
            head);

    assertThat(verified.certificate()).isEqualTo(certificate);
    assertThat(verified.issuedLogIndex()).isEqualTo(index);
  }

  @Test
  void aCertificateTheCaSignedButNobodyLoggedIsRejected() throws Exception {
    X509Certificate logged = device(ca, ALICE);
    long index = logIssue(logged);
    X509Certificate rogue = device(ca, ALICE);
    TreeHead head = head();
    List<String> proof = log.inclusionProof(index, head.treeSize());

    assertThatThrownBy(() -> verifier.verify(ALICE, DEVICE, pem(rogue), index, proof, head))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageStartingWith("not in the transparency log: entry " + index);
    assertThatThrownBy(
            () -> verifier.verify(ALICE, DEVICE, pem(rogue), head.treeSize(), proof, head))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageContaining("outside the signed tree");
  }

  @Test
  void aCertificateOfAnotherCaIsRejected() throws Exception {
    KeyPair other = p384();
    X509Certificate foreign = device(other, ALICE);
    long index = logIssue(foreign);
    TreeHead head = head();

    assertThatThrownBy(
            () ->
                verifier.verify(
                    ALICE,
                    DEVICE,
                    pem(foreign),
                    index,
                    log.inclusionProof(index, head.treeSize()),
                    head))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageContaining("does not validate to the pinned organisation CA");
  }

  @Test
  void aCertificateNamingAnotherUserIsRejected() throws Exception {
    X509Certificate mallorys = device(ca, "mallory-subject");
    long index = logIssue(mallorys);
    TreeHead head = head();

    assertThatThrownBy(
            () ->
                verifier.verify(
                    ALICE,
                    DEVICE,
                    pem(mallorys),
                    index,
                    log.inclusionProof(index, head.treeSize()),
                    head))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageContaining("does not name urn:redoubt:device:" + ALICE);
  }

  @Test
  void aWrongInclusionProofIsRejected() throws Exception {
    X509Certificate certificate = device(ca, ALICE);
    long index = logIssue(certificate);
    log.noise(3);
    TreeHead head = head();
    List<String> wrong = log.inclusionProof(index - 1, head.treeSize());

    assertThatThrownBy(() -> verifier.verify(ALICE, DEVICE, pem(certificate), index, wrong, head))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageStartingWith("not proven in the transparency log");
  }
}
