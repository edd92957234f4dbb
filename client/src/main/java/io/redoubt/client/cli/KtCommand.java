package io.redoubt.client.cli;

import io.redoubt.client.AccessToken;
import io.redoubt.client.Json;
import io.redoubt.client.transparency.LogMonitor;
import io.redoubt.client.transparency.MonitorState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code redoubt kt}: the key-transparency log, as this profile sees it. */
@Command(
    name = "kt",
    mixinStandardHelpOptions = true,
    description = "Key transparency: check the organisation's certificate log.",
    subcommands = {KtCommand.Verify.class})
final class KtCommand {

  @ParentCommand RedoubtCommand parent;

  /** {@code redoubt kt verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check the transparency log: the newest head's signature (pinned log key), its consistency"
            + " with the last head this profile saw, every entry since the last check (their hashes"
            + " must rebuild the signed root), inclusion of every certificate this profile relies"
            + " on, and any certificate issued for your user that this profile did not enroll.",
        "Exit 0: all is well. 3: a certificate for your user that this profile did not enroll"
            + " (named below; revoke it, or --acknowledge it if you enrolled it elsewhere). 4: the"
            + " log does not verify."
      })
  static final class Verify implements Callable<Integer> {
    @ParentCommand KtCommand kt;

    /** How many devices of one kind the text output names before it summarises. */
    static final int NOTES_SHOWN = 10;

    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(
        names = "--acknowledge",
        paramLabel = "DEVICE_ID",
        description =
            "A device of yours enrolled from another profile or client: stop alarming about it and"
                + " rely on it from now on. Repeatable.")
    List<String> acknowledge = List.of();

    @Override
    public Integer call() throws Exception {
      Profile profile = kt.parent.profile();
      Session session = Session.open(profile);
      AccessToken token = session.accessToken();
      session.pins().requireUnchanged(session.client().info());
      LogMonitor.Report report = session.monitor(token).verify(session.transparency());
      MonitorState state = report.state();
      for (String deviceId : acknowledge) {
        MonitorState after = state.acknowledge(deviceId);
        if (after.alarms().size() == state.alarms().size()) {
          // Save what was verified before refusing: the scan itself was sound.
          profile.save(state);
          throw new RedoubtCommand.UserFacingException(
              "no alarm names device " + deviceId + "; nothing acknowledged");
        }
        state = after;
      }
      profile.save(state);
      var out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", state.alarms().isEmpty());
        result.put("treeSize", report.treeSize());
        result.put("previousTreeSize", report.previousSize());
        result.put("scannedFrom", report.scannedFrom());
        result.put("inclusionChecked", report.inclusionChecked());
        result.put("acknowledged", acknowledge);
        result.put("unknownDevices", state.alarms());
        result.put("preexisting", report.preexisting());
        result.put("revoked", report.revoked());
        out.println(Json.WRITER.writeValueAsString(result));
      } else {
        out.printf(
            "Signed tree head of size %d verified with the pinned log key.%n", report.treeSize());
        if (report.previousSize() > 0 && report.previousSize() != report.treeSize()) {
          out.printf("Consistent with the head of size %d seen before.%n", report.previousSize());
        }
        out.printf(
            "Scanned entries %d..%d: they rebuild the signed root.%n",
            report.scannedFrom(), report.treeSize());
        out.printf("%d relied-on certificate(s) checked in the log.%n", report.inclusionChecked());
        // A long-lived account can have hundreds; a screenful helps nobody, --json has them all.
        var preexisting = report.preexisting();
        for (var device : preexisting.subList(0, Math.min(NOTES_SHOWN, preexisting.size()))) {
          out.printf(
              "Note: device %s of yours was logged (index %d) before this profile first signed"
                  + " in; check it is one of yours (redoubt device list).%n",
              device.deviceId(), device.issuedLogIndex());
        }
        if (preexisting.size() > NOTES_SHOWN) {
          out.printf(
              "Note: and %d more devices of yours logged before this profile first signed in"
                  + " (redoubt kt verify --json lists them all).%n",
              preexisting.size() - NOTES_SHOWN);
        }
        var revoked = report.revoked();
        for (var device : revoked.subList(0, Math.min(NOTES_SHOWN, revoked.size()))) {
          out.printf("Revoked since the last check: device %s.%n", device.deviceId());
        }
        if (revoked.size() > NOTES_SHOWN) {
          out.printf(
              "Revoked since the last check: and %d more devices (--json lists them all).%n",
              revoked.size() - NOTES_SHOWN);
        }
        for (String deviceId : acknowledge) {
          out.printf("Acknowledged device %s as yours.%n", deviceId);
        }
      }
      if (!state.alarms().isEmpty()) {
        var err = spec.commandLine().getErr();
        for (var alarm : state.alarms()) {
          err.printf(
              "redoubt: ALARM: unknown device %s: a certificate (SHA-384 %s) was issued for your"
                  + " user at log index %d (%s), and this profile did not enroll it.%n",
              alarm.deviceId(),
              alarm.certificateSha384(),
              alarm.index(),
              Instant.ofEpochMilli(alarm.timestamp()));
        }
        err.println(
            "redoubt: if you enrolled it from another profile or client: redoubt kt verify"
                + " --acknowledge DEVICE_ID; otherwise revoke it (redoubt device revoke DEVICE_ID)"
                + " and tell your security team.");
        err.flush();
        return RedoubtCommand.ALARM;
      }
      if (!json) {
        out.println("OK: no certificate for your user that this profile did not enroll.");
      }
      return 0;
    }
  }
}
