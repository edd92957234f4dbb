package io.redoubt.client.transparency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.client.transparency.LogMonitor.Report;
import io.redoubt.client.transparency.MonitorState.KnownDevice;
import io.redoubt.protocol.api.LogEntryResponse;
import io.redoubt.protocol.merkle.InMemorySubtreeHashes;
import io.redoubt.protocol.transparency.LeafKind;
import io.redoubt.protocol.transparency.LogLeaf;
import java.security.Security;
import java.util.ArrayList;
import java.util.UUID;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kt verify}'s logic against an honest in-memory log, and against the same log lying: a
 * rogue certificate for our user, an altered entry, a hidden entry, a forked or rolled-back head, a
 * bad signature, a relied-on certificate that is not where the profile was told.
 */
class LogMonitorTest {

  private static final String ALICE = "alice-subject";

  private FakeLog log;
  private LogMonitor monitor;
  private MonitorState state;

  @BeforeAll
  static void fips() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
  }

  @BeforeEach
  void aliceSignsInToALogWithHistory() throws Exception {
    log = new FakeLog();
    log.noise(1500); // more than one page of entries
    monitor = new LogMonitor(log, log.logKey());
    state = MonitorState.start(ALICE, log.newestHead());
  }

  private KnownDevice enroll(String deviceId) {
    byte[] certificate = FakeLog.randomHash();
    long index = log.issue(ALICE, deviceId, certificate);
    return new KnownDevice(
        ALICE, null, deviceId, FakeLog.b64(certificate), index, MonitorState.ENROLLED, false);
  }

  @Test
  void anHonestLogWithOnlyOurOwnDevicesIsClean() throws Exception {
    state = state.withDevice(enroll("laptop"));
    log.noise(10);

    Report report = monitor.verify(state);

    assertThat(report.alarms()).isEmpty();
    assertThat(report.scannedFrom()).isZero();
    assertThat(report.treeSize()).isEqualTo(1511);
    assertThat(report.inclusionChecked()).isEqualTo(1);
    assertThat(report.state().scannedSize()).isEqualTo(1511);
    assertThat(report.state().frontier()).hasSize(Long.bitCount(1511));

    // The next run reads only what was appended since, and checks the older leaf by proof.
    log.noise(3);
    Report next = monitor.verify(report.state());
    assertThat(next.scannedFrom()).isEqualTo(1511);
    assertThat(next.previousSize()).isEqualTo(1511);
    assertThat(next.alarms()).isEmpty();
  }

  @Test
  void aRogueCertificateForOurUserIsAnAlarmThatStaysUntilAcknowledged() throws Exception {
    state = state.withDevice(enroll("laptop"));
    byte[] rogueHash = FakeLog.randomHash();
    long rogue = log.issue(ALICE, "rogue-device", rogueHash);
    log.noise(2);

    Report report = monitor.verify(state);
    assertThat(report.alarms())
        .singleElement()
        .satisfies(
            alarm -> {
              assertThat(alarm.deviceId()).isEqualTo("rogue-device");
              assertThat(alarm.index()).isEqualTo(rogue);
              assertThat(alarm.certificateSha384()).isEqualTo(FakeLog.b64(rogueHash));
            });

    // Scanning on does not forget it.
    log.noise(2);
    Report again = monitor.verify(report.state());
    assertThat(again.alarms()).extracting(MonitorState.Finding::deviceId).contains("rogue-device");

    // Acknowledged, it becomes a relied-on device of ours, checked in the tree from then on.
    MonitorState acknowledged = again.state().acknowledge("rogue-device");
    Report after = monitor.verify(acknowledged);
    assertThat(after.alarms()).isEmpty();
    assertThat(after.inclusionChecked()).isEqualTo(2);
  }

  @Test
  void aSecondCertificateForOneOfOurOwnDeviceIdsIsAnAlarmToo() throws Exception {
    KnownDevice laptop = enroll("laptop");
    state = state.withDevice(laptop);
    log.issue(ALICE, "laptop", FakeLog.randomHash());

    assertThat(monitor.verify(state).alarms())
        .singleElement()
        .extracting(MonitorState.Finding::deviceId)
        .isEqualTo("laptop");
  }

  @Test
  void lookingOurselvesUpDoesNotVouchForOurOwnDevices() throws Exception {
    byte[] rogueHash = FakeLog.randomHash();
    long rogue = log.issue(ALICE, "rogue-device", rogueHash);
    state =
        state.withDevice(
            new KnownDevice(
                ALICE,
                "alice",
                "rogue-device",
                FakeLog.b64(rogueHash),
                rogue,
                MonitorState.LOOKUP,
                false));

    assertThat(monitor.verify(state).alarms()).hasSize(1);
  }

  @Test
  void ourCertificatesLoggedBeforeFirstContactAreListedNotAlarmed() throws Exception {
    log = new FakeLog();
    log.noise(5);
    log.issue(ALICE, "old-phone", FakeLog.randomHash());
    monitor = new LogMonitor(log, log.logKey());
    state = MonitorState.start(ALICE, log.newestHead());
    log.noise(5);

    Report report = monitor.verify(state);

    assertThat(report.alarms()).isEmpty();
    assertThat(report.preexisting()).extracting(KnownDevice::deviceId).containsExactly("old-phone");
    assertThat(monitor.verify(report.state()).preexisting()).isEmpty(); // listed once
  }

  @Test
  void anEntryWhoseFieldsDifferFromItsLeafBytesIsRefused() {
    log.issue(ALICE, "rogue-device", FakeLog.randomHash());
    // The server relabels the rogue leaf as someone else's in the decoded fields.
    log.entryTamper =
        entry ->
            entry.userId().equals(ALICE)
                ? new LogEntryResponse(
                    entry.index(),
                    entry.leaf(),
                    entry.kind(),
                    "someone-else",
                    entry.deviceId(),
                    entry.certificateSha384(),
                    entry.timestamp())
                : entry;

    assertThatThrownBy(() -> monitor.verify(state))
        .isInstanceOf(TransparencyException.class)
        .hasMessageContaining("do not match its leaf bytes");
  }

  @Test
  void aHiddenEntryIsCaughtByTheCompactRange() {
    long rogue = log.issue(ALICE, "rogue-device", FakeLog.randomHash());
    log.noise(3);
    // The server serves, self-consistently, a leaf of another user in place of the rogue one.
    log.servedLeaves = new ArrayList<>(log.leaves);
    log.servedLeaves.set(
        (int) rogue,
        new LogLeaf(
            LeafKind.CERTIFICATE_ISSUED,
            "someone-else",
            UUID.randomUUID().toString(),
            FakeLog.randomHash(),
            log.leaves.get((int) rogue).time()));

    assertThatThrownBy(() -> monitor.verify(state))
        .isInstanceOf(TransparencyException.class)
        .hasMessageContaining("do not hash to the signed root");
  }

  @Test
  void aRewrittenHistoryFailsTheConsistencyCheckAndTheStoredHeadStays() throws Exception {
    Report first = monitor.verify(state);
    // History rewritten: an old leaf replaced, the tree rebuilt, new heads signed over it.
    log.leaves.set(
        7,
        new LogLeaf(
            LeafKind.CERTIFICATE_ISSUED, "x", "y", FakeLog.randomHash(), log.leaves.get(7).time()));
    log.rebuild();
    log.noise(4);

    assertThatThrownBy(() -> monitor.verify(first.state()))
        .isInstanceOf(TransparencyException.class)
        .hasMessageContaining("not consistent")
        .hasMessageContaining("size 1500");
    assertThat(first.state().lastHead().treeSize()).isEqualTo(1500);
  }

  @Test
  void aForkedHeadOfTheSameSizeIsRefused() throws Exception {
    Report first = monitor.verify(state);
    InMemorySubtreeHashes fork = new InMemorySubtreeHashes(FakeLog.HASH);
    for (int i = 0; i < 1500; i++) {
      fork.append(("fork " + i).getBytes());
    }
    log.headTree = fork;

    assertThatThrownBy(() -> monitor.verify(first.state()))
        .isInstanceOf(TransparencyException.class)
        .hasMessageContaining("fork");
  }

  @Test
  void anOlderHeadDoesNotMoveTheStoredHeadBackwards() throws Exception {
    Report first = monitor.verify(state);
    MonitorState observed = monitor.observe(first.state(), log.head(1000));
    assertThat(observed.lastHead().treeSize()).isEqualTo(1500);
  }

  @Test
  void aHeadNotSignedByThePinnedKeyIsRefused() {
    log.corruptSignature = true;
    assertThatThrownBy(() -> monitor.verify(state))
        .isInstanceOf(TransparencyException.class)
        .hasMessageContaining("does not verify with the pinned transparency-log key");
  }

  @Test
  void aReliedOnCertificateMustBeWhereTheProfileWasToldItIs() throws Exception {
    Report first = monitor.verify(state);
    // A peer device accepted at an index whose leaf is not its certificate.
    MonitorState wrong =
        first
            .state()
            .withDevice(
                new KnownDevice(
                    "bob",
                    "bob",
                    "bob-phone",
                    FakeLog.b64(FakeLog.randomHash()),
                    3,
                    "lookup",
                    false));

    assertThatThrownBy(() -> monitor.verify(wrong))
        .isInstanceOf(TransparencyException.class)
        .hasMessageContaining("log entry 3 does not record");
  }

  @Test
  void revocationsOfReliedOnCertificatesAreNoticed() throws Exception {
    KnownDevice laptop = enroll("laptop");
    state = state.withDevice(laptop);
    log.revoke(
        ALICE, "laptop", java.util.Base64.getUrlDecoder().decode(laptop.certificateSha384()));

    Report report = monitor.verify(state);

    assertThat(report.revoked()).extracting(KnownDevice::deviceId).containsExactly("laptop");
    assertThat(report.state().devices())
        .singleElement()
        .extracting(KnownDevice::revoked)
        .isEqualTo(true);

    // No longer relied on: the next run does not re-fetch its issue entry.
    log.noise(3);
    assertThat(monitor.verify(report.state()).inclusionChecked()).isZero();
  }
}
