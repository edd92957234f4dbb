package io.redoubt.client.cli;

import io.redoubt.client.AccessToken;
import io.redoubt.client.Json;
import io.redoubt.client.RedoubtClient;
import io.redoubt.client.device.DeviceEnrollment;
import io.redoubt.client.device.DeviceKeyStore;
import io.redoubt.client.device.PrekeyVault;
import io.redoubt.protocol.api.DeviceResponse;
import io.redoubt.protocol.api.EnrollmentResponse;
import io.redoubt.protocol.api.MeResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code redoubt device}: this user's devices. */
@Command(
    name = "device",
    mixinStandardHelpOptions = true,
    description = "Enroll this device, list your devices, revoke one.",
    subcommands = {
      DeviceCommand.Enroll.class,
      DeviceCommand.ListDevices.class,
      DeviceCommand.Revoke.class
    })
final class DeviceCommand {

  @ParentCommand RedoubtCommand parent;

  /** {@code redoubt device enroll}. */
  @Command(
      name = "enroll",
      mixinStandardHelpOptions = true,
      description = {
        "Enroll this profile as a device: make its identity key (in a passphrase-protected BCFKS"
            + " key store), a signed prekey and 100 one-time prekeys, and have the organisation CA"
            + " certify the key.",
        "The certificate is installed only after it validates to the pinned CA, names you and this"
            + " device, and its issue is proven in the transparency log.",
        "The passphrase (at least 14 characters) comes from --passphrase-stdin, the environment"
            + " variable REDOUBT_PASSPHRASE, or a prompt; never from the command line."
      })
  static final class Enroll implements Callable<Integer> {
    @ParentCommand DeviceCommand device;
    @Spec CommandSpec spec;

    @Option(
        names = "--name",
        required = true,
        description = "What you call it, e.g. 'work laptop'.")
    String name;

    @Option(
        names = "--passphrase-stdin",
        description = "Read the key store passphrase from the first line of standard input.")
    boolean passphraseStdin;

    @Override
    public Integer call() throws Exception {
      Profile profile = device.parent.profile();
      Session session = Session.open(profile);
      var existing = profile.device();
      if (existing.isPresent() && existing.get().enrolled()) {
        throw new RedoubtCommand.UserFacingException(
            "this profile is already device "
                + existing.get().deviceId()
                + " ('"
                + existing.get().name()
                + "'); use another --profile for another device");
      }
      AccessToken token = session.accessToken();
      RedoubtClient client = session.client();
      var pins = session.pins();
      pins.requireUnchanged(client.info());
      MeResponse me = client.me(token);
      var state = session.transparency();
      if (!state.userId().equals(me.userId())) {
        throw new RedoubtCommand.UserFacingException(
            "this profile belongs to another user than " + me.username());
      }

      char[] passphrase = Passphrase.read(passphraseStdin, existing.isEmpty());
      DeviceKeyStore keys;
      UUID deviceId;
      try {
        if (existing.isPresent() && Files.exists(profile.deviceKeyStore())) {
          // An enrollment that was refused or not verified: the key was never certified, so it
          // is reused with its device id rather than left orphaned beside a new one.
          keys = DeviceKeyStore.open(profile.deviceKeyStore(), passphrase);
          deviceId = existing.get().deviceId();
        } else {
          keys = DeviceKeyStore.create(profile.deviceKeyStore(), passphrase, name);
          deviceId = UUID.randomUUID();
        }
      } finally {
        Arrays.fill(passphrase, '\0');
      }
      profile.save(new Profile.DeviceRecord(deviceId, name, false));
      PrekeyVault vault = PrekeyVault.open(profile.prekeyVault(), keys, deviceId);

      EnrollmentResponse answer =
          client.enroll(
              token, DeviceEnrollment.request(keys, vault, deviceId, name, Instant.now()));
      DeviceEnrollment.Enrolled enrolled =
          DeviceEnrollment.verify(
              answer,
              keys,
              deviceId,
              me.userId(),
              pins,
              session.deviceVerifier(token),
              session.monitor(token),
              state);
      keys.installIssuedChain(enrolled.chain());
      profile.save(enrolled.state());
      profile.save(new Profile.DeviceRecord(deviceId, name, true));
      var out = spec.commandLine().getOut();
      out.printf("Enrolled device %s ('%s') for %s.%n", deviceId, name, me.username());
      out.printf(
          "Its certificate validates to the pinned CA and is in the transparency log at index %d"
              + " (signed tree of %d).%n",
          enrolled.device().issuedLogIndex(), answer.treeHead().treeSize());
      out.printf("Certificate SHA-384: %s%n", enrolled.device().certificateSha384());
      return 0;
    }
  }

  /** {@code redoubt device list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List your devices, active and revoked (as the server records them).")
  static final class ListDevices implements Callable<Integer> {
    @ParentCommand DeviceCommand device;
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Profile profile = device.parent.profile();
      Session session = Session.open(profile);
      List<DeviceResponse> devices = session.client().devices(session.accessToken());
      String mine =
          profile
              .device()
              .filter(Profile.DeviceRecord::enrolled)
              .map(d -> d.deviceId().toString())
              .orElse(null);
      var out = spec.commandLine().getOut();
      if (json) {
        List<Map<String, Object>> rows =
            devices.stream()
                .map(
                    d -> {
                      Map<String, Object> row = new LinkedHashMap<>();
                      row.put("deviceId", d.deviceId());
                      row.put("name", d.name());
                      row.put("status", d.status());
                      row.put("enrolledAt", d.enrolledAt());
                      row.put("revokedAt", d.revokedAt());
                      row.put("issuedLogIndex", d.issuedLogIndex());
                      row.put("revokedLogIndex", d.revokedLogIndex());
                      row.put("thisProfile", d.deviceId().equals(mine));
                      return row;
                    })
                .toList();
        out.println(Json.WRITER.writeValueAsString(rows));
      } else if (devices.isEmpty()) {
        out.println("No devices. Enroll this one with: redoubt device enroll --name NAME");
      } else {
        for (DeviceResponse d : devices) {
          out.printf(
              "%s  %-8s %-24s enrolled %s%s%s%n",
              d.deviceId(),
              d.status(),
              d.name(),
              d.enrolledAt(),
              d.revokedAt() == null ? "" : ", revoked " + d.revokedAt(),
              d.deviceId().equals(mine) ? "  (this profile)" : "");
        }
      }
      return 0;
    }
  }

  /** {@code redoubt device revoke}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = {
        "Revoke one of your devices: its certificate is logged as revoked and refused from then on.",
        "Revoke a device you lost, or one that kt verify reports and you did not enroll."
      })
  static final class Revoke implements Callable<Integer> {
    @ParentCommand DeviceCommand device;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DEVICE_ID", description = "The device id (see redoubt device list).")
    UUID deviceId;

    @Override
    public Integer call() throws Exception {
      Session session = Session.open(device.parent.profile());
      DeviceResponse revoked = session.client().revokeDevice(session.accessToken(), deviceId);
      spec.commandLine()
          .getOut()
          .printf(
              "Revoked device %s ('%s'); the revocation is log entry %s.%n",
              revoked.deviceId(), revoked.name(), revoked.revokedLogIndex());
      return 0;
    }
  }
}
