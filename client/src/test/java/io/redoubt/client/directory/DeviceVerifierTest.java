package io.redoubt.client.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.client.OrganisationPins;
import io.redoubt.client.device.TestCa;
import io.redoubt.client.transparency.FakeLog;
import io.redoubt.client.transparency.SignedHeads;
import io.redoubt.protocol.api.LogEntryResponse;
import io.redoubt.protocol.transparency.LeafKind;
import io.redoubt.protocol.transparency.LogLeaf;
import io.redoubt.protocol.transparency.TreeHead;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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
 * proof is wrong are rejected, each with its reason. A log entry the answer carries is held to the
 * same checks as a fetched one, and a certificate's remembered validation spares none of the checks
 * that can change.
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

  @Test
  void aServedLogEntryIsCheckedAsAFetchedOneAndSavesTheRequest() throws Exception {
    X509Certificate certificate = device(ca, ALICE);
    long index = logIssue(certificate);
    log.noise(3);
    TreeHead head = head();

    VerifiedDevice verified =
        verifier.verify(
            ALICE,
            DEVICE,
            pem(certificate),
            index,
            log.inclusionProof(index, head.treeSize()),
            log.entry(index),
            head);

    assertThat(verified.certificate()).isEqualTo(certificate);
    assertThat(log.entryRequests()).isZero();
  }

  @Test
  void aServedLogEntryOfAnotherCertificateOrIndexIsRejected() throws Exception {
    X509Certificate genuine = device(ca, ALICE);
    long genuineIndex = logIssue(genuine);
    X509Certificate rogue = device(ca, ALICE);
    TreeHead head = head();
    List<String> proof = log.inclusionProof(genuineIndex, head.treeSize());

    // The genuine device's real entry and proof, presented for another certificate of the same
    // user and device id.
    assertThatThrownBy(
            () ->
                verifier.verify(
                    ALICE, DEVICE, pem(rogue), genuineIndex, proof, log.entry(genuineIndex), head))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageStartingWith("not in the transparency log: entry " + genuineIndex)
        .hasMessageContaining("not this certificate");
    // The right certificate, but an entry from elsewhere in the log.
    assertThatThrownBy(
            () ->
                verifier.verify(
                    ALICE, DEVICE, pem(genuine), genuineIndex, proof, log.entry(0), head))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageContaining("carries entry 0 as the record of entry " + genuineIndex);
    assertThat(log.entryRequests()).isZero();
  }

  @Test
  void aServedLogEntryThatTheLogDoesNotHoldIsRejected() throws Exception {
    X509Certificate logged = device(ca, ALICE);
    long index = logIssue(logged);
    X509Certificate unlogged = device(ca, ALICE);
    TreeHead head = head();
    // A well-formed entry for the unlogged certificate, made up by the server for that index:
    // its fields match its bytes and the certificate, so only the proof can tell.
    LogEntryResponse real = log.entry(index);
    LogLeaf invented =
        new LogLeaf(
            LeafKind.CERTIFICATE_ISSUED,
            ALICE,
            DEVICE,
            OrganisationPins.sha384(unlogged),
            Instant.ofEpochMilli(real.timestamp()));
    LogEntryResponse madeUp =
        new LogEntryResponse(
            index,
            FakeLog.b64(invented.encode()),
            real.kind(),
            ALICE,
            DEVICE,
            FakeLog.b64(invented.certificateSha384()),
            real.timestamp());

    assertThatThrownBy(
            () ->
                verifier.verify(
                    ALICE,
                    DEVICE,
                    pem(unlogged),
                    index,
                    log.inclusionProof(index, head.treeSize()),
                    madeUp,
                    head))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageStartingWith("not proven in the transparency log");
  }

  @Test
  void aServedLogEntryWhoseFieldsAreNotItsBytesIsRejected() throws Exception {
    X509Certificate certificate = device(ca, ALICE);
    long index = logIssue(certificate);
    TreeHead head = head();
    LogEntryResponse real = log.entry(index);
    LogEntryResponse altered =
        new LogEntryResponse(
            index,
            real.leaf(),
            real.kind(),
            real.userId(),
            "another-device",
            real.certificateSha384(),
            real.timestamp());

    assertThatThrownBy(
            () ->
                verifier.verify(
                    ALICE,
                    DEVICE,
                    pem(certificate),
                    index,
                    log.inclusionProof(index, head.treeSize()),
                    altered,
                    head))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageContaining("do not match its leaf bytes");
  }

  @Test
  void aRememberedCertificateIsStillCheckedAgainstTheClockUserDeviceAndPinnedCa() throws Exception {
    X509Certificate certificate = device(ca, ALICE);
    long index = logIssue(certificate);
    TreeHead head = head();
    List<String> proof = log.inclusionProof(index, head.treeSize());
    ValidatedCertificates memo = new ValidatedCertificates(16);
    OrganisationPins pins = new OrganisationPins(pem(caCertificate), pem(caCertificate));
    Instant now = Instant.now();

    new DeviceVerifier(pins, log, Clock.fixed(now, ZoneOffset.UTC), memo)
        .verify(ALICE, DEVICE, pem(certificate), index, proof, log.entry(index), head);
    assertThat(memo.count()).isOne();

    // Remembered, so the next check needs no PKIX validation, but the dates are still the clock's.
    VerifiedDevice again =
        new DeviceVerifier(pins, log, Clock.fixed(now.plusSeconds(60), ZoneOffset.UTC), memo)
            .verify(ALICE, DEVICE, pem(certificate), index, proof, log.entry(index), head);
    assertThat(again.certificate()).isEqualTo(certificate);
    for (Instant outside :
        List.of(certificate.getNotAfter().toInstant().plusSeconds(1), now.minusSeconds(3600))) {
      assertThatThrownBy(
              () ->
                  new DeviceVerifier(pins, log, Clock.fixed(outside, ZoneOffset.UTC), memo)
                      .verify(
                          ALICE, DEVICE, pem(certificate), index, proof, log.entry(index), head))
          .isInstanceOf(DeviceRejectedException.class)
          .hasMessageContaining("does not validate to the pinned organisation CA")
          .hasMessageContaining("not at " + outside);
    }
    // Remembered for alice's device only: claimed for another user or device it is checked anew.
    assertThatThrownBy(
            () ->
                new DeviceVerifier(pins, log, Clock.fixed(now, ZoneOffset.UTC), memo)
                    .verify("mallory-subject", DEVICE, pem(certificate), index, proof, head))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageContaining("does not name urn:redoubt:device:mallory-subject");
    // Remembered under this CA only: a profile pinned to another CA refuses it.
    X509Certificate otherCa = certificate(p384(), "CN=Test CA", p384().getPublic(), null, true);
    assertThatThrownBy(
            () ->
                new DeviceVerifier(
                        new OrganisationPins(pem(otherCa), pem(otherCa)),
                        log,
                        Clock.fixed(now, ZoneOffset.UTC),
                        memo)
                    .verify(ALICE, DEVICE, pem(certificate), index, proof, head))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageContaining("does not validate to the pinned organisation CA");
  }

  @Test
  void theMemoForgetsTheLeastRecentlyUsedBeyondItsBound() throws Exception {
    ValidatedCertificates memo = new ValidatedCertificates(2);
    X509Certificate certificate = device(ca, ALICE);
    var first = new ValidatedCertificates.Key("ca", "1", ALICE, DEVICE);
    var second = new ValidatedCertificates.Key("ca", "2", ALICE, DEVICE);
    var third = new ValidatedCertificates.Key("ca", "3", ALICE, DEVICE);

    memo.put(first, certificate);
    memo.put(second, certificate);
    memo.get(first);
    memo.put(third, certificate);

    assertThat(memo.count()).isEqualTo(2);
    assertThat(memo.get(second)).isNull();
    assertThat(memo.get(first)).isEqualTo(certificate);
    assertThat(memo.get(third)).isEqualTo(certificate);
  }
}
