package io.redoubt.ldapsync;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;

/**
 * {@code redoubt-ldap-sync}: configures Keycloak's LDAP federation from a settings file. Used by
 * the installer and by {@code installer/lab}; safe to run again at any time.
 *
 * <pre>
 * redoubt-ldap-sync check --settings FILE              parse and check the file only
 * redoubt-ldap-sync apply --settings FILE [--sync full|changed|initial]
 * </pre>
 *
 * {@code --sync initial} runs a full sync only when this run created the federation.
 *
 * <p>Exit status: 0 done, 1 Keycloak failed or refused, 2 bad usage or settings.
 */
public final class LdapSyncCommand {

  private LdapSyncCommand() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, System.getenv(), out, err));
  }

  /** The command without {@code System.exit}, for tests. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    String command = args.length > 0 ? args[0] : "";
    Path settingsFile = null;
    String sync = "none";
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--settings" -> settingsFile = i + 1 < args.length ? Path.of(args[++i]) : null;
        case "--sync" -> sync = i + 1 < args.length ? args[++i] : "";
        default -> {
          err.println("redoubt-ldap-sync: unknown option " + args[i]);
          return usage(err);
        }
      }
    }
    if (!(command.equals("apply") || command.equals("check")) || settingsFile == null) {
      return usage(err);
    }
    if (!List.of("none", "full", "changed", "initial").contains(sync)) {
      err.println("redoubt-ldap-sync: --sync must be full, changed or initial");
      return 2;
    }
    DirectorySettings settings;
    try {
      settings = DirectorySettings.load(settingsFile);
    } catch (IOException e) {
      err.println("redoubt-ldap-sync: cannot read " + settingsFile + ": " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("redoubt-ldap-sync: " + e.getMessage());
      return 2;
    }
    if (command.equals("check")) {
      out.println("settings ok: " + settings.vendor().settingName() + " at " + settings.ldapUrl());
      return 0;
    }
    try {
      FederationProvisioner provisioner =
          new FederationProvisioner(KeycloakAdminApi.forSettings(settings, env));
      FederationProvisioner.Outcome outcome =
          provisioner.apply(settings, settings.bindCredential().forKeycloak(env));
      if (outcome.created()) {
        out.println(
            "created LDAP federation '"
                + settings.federationName()
                + "' id="
                + outcome.componentId());
      }
      outcome.changes().forEach(change -> out.println("changed " + change));
      if (!outcome.changedAnything()) {
        out.println(
            "unchanged: LDAP federation '"
                + settings.federationName()
                + "' id="
                + outcome.componentId());
      }
      if (sync.equals("initial") && outcome.created()) {
        sync = "full";
      }
      if (sync.equals("full") || sync.equals("changed")) {
        JsonNode result = provisioner.sync(outcome.componentId(), sync.equals("full"));
        out.println("sync (" + sync + "): " + result);
      }
      return 0;
    } catch (IOException | GeneralSecurityException | IllegalStateException e) {
      err.println("redoubt-ldap-sync: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("redoubt-ldap-sync: interrupted");
      return 1;
    }
  }

  private static int usage(PrintStream err) {
    err.println("usage: redoubt-ldap-sync check --settings FILE");
    err.println("       redoubt-ldap-sync apply --settings FILE [--sync full|changed|initial]");
    return 2;
  }
}
