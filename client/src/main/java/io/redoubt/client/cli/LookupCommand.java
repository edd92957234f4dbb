package io.redoubt.client.cli;

import io.redoubt.client.AccessToken;
import io.redoubt.client.Json;
import io.redoubt.client.directory.PeerDevices;
import io.redoubt.client.trust.RevocationCheck;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code redoubt lookup USER}: a colleague's devices, each verified before it is believed. */
@Command(
    name = "lookup",
    mixinStandardHelpOptions = true,
    description = {
      "Look up a user's devices and verify each one: its certificate chains to the pinned"
          + " organisation CA and names the user and device, and its issue is proven in the"
          + " transparency log under a signed head consistent with what this profile saw.",
      "Accepted devices are remembered and re-checked by kt verify; rejected ones are listed with"
          + " the reason and never used. Exit 4 when any device is rejected."
    })
final class LookupCommand implements Callable<Integer> {

  @ParentCommand RedoubtCommand parent;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "USER", description = "The username to look up.")
  String username;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Profile profile = parent.profile();
    Session session = Session.open(profile);
    AccessToken token = session.accessToken();
    var pins = session.pins();
    var answer = session.client().directory(token, username);
    PeerDevices peers =
        new PeerDevices(session.deviceVerifier(token), session.monitor(token), pins.logKey());
    RevocationCheck.Verified revocations =
        RevocationCheck.verify(
            session.client().revocationList(),
            pins.deviceCa(),
            Instant.now(),
            profile.highestRevocationListNumber().orElse(null));
    profile.saveRevocationListNumber(revocations.number());
    PeerDevices.Lookup lookup = peers.verify(session.transparency(), username, answer, revocations);
    profile.save(lookup.state());
    var out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("username", lookup.username());
      result.put("userId", lookup.userId());
      result.put("treeSize", lookup.treeSize());
      result.put(
          "accepted",
          lookup.accepted().stream()
              .map(
                  d ->
                      Map.of(
                          "deviceId", d.deviceId(),
                          "certificateSha384", d.certificateSha384(),
                          "issuedLogIndex", d.issuedLogIndex(),
                          "notAfter", d.certificate().getNotAfter().toInstant().toString()))
              .toList());
      result.put("rejected", lookup.rejected());
      out.println(Json.WRITER.writeValueAsString(result));
    } else {
      out.printf(
          "%s (%s): %d device(s) verified against the signed tree of %d%n",
          lookup.username(), lookup.userId(), lookup.accepted().size(), lookup.treeSize());
      for (var device : lookup.accepted()) {
        out.printf(
            "  %s  certificate SHA-384 %s, log index %d%n",
            device.deviceId(), device.certificateSha384(), device.issuedLogIndex());
      }
    }
    if (!lookup.rejected().isEmpty()) {
      var err = spec.commandLine().getErr();
      for (var rejected : lookup.rejected()) {
        err.printf("redoubt: REJECTED device %s: %s%n", rejected.deviceId(), rejected.reason());
      }
      err.flush();
      return RedoubtCommand.UNVERIFIED;
    }
    return 0;
  }
}
