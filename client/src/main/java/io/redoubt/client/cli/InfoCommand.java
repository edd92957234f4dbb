package io.redoubt.client.cli;

import io.redoubt.client.Json;
import io.redoubt.client.RedoubtClient;
import io.redoubt.protocol.api.InfoResponse;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code redoubt info}: the public facts of a server, before or after signing in. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "Show a server's organisation, identity provider, CA and FIPS state.")
final class InfoCommand implements Callable<Integer> {

  @ParentCommand RedoubtCommand parent;
  @Spec CommandSpec spec;

  @Option(names = "--server", description = "Server URL (default: the profile's server).")
  URI server;

  @Option(names = "--ca-file", description = "PEM file with the server's TLS CA.")
  Path caFile;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Profile.Settings settings;
    if (server != null) {
      settings = new Profile.Settings(server, server, "", null, caFile);
    } else {
      settings = Session.open(parent.profile()).settings();
    }
    InfoResponse info = new RedoubtClient(settings.server(), Session.tls(settings)).info();
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.WRITER.writeValueAsString(info));
    } else {
      out.printf("organisation:      %s%n", info.organisation());
      out.printf("server:            %s %s%n", info.product(), info.version());
      out.printf("sign in at:        %s%n", info.identityProvider().issuer());
      out.printf("device CA SHA-384: %s%n", String.join(", ", info.caFingerprintsSha384()));
      out.printf(
          "FIPS:              %s %s, approved-only %s, self tests %s%n",
          info.fips().module(),
          info.fips().version(),
          info.fips().approvedOnly() ? "on" : "OFF",
          info.fips().selfTestPassed() ? "passed" : "FAILED");
    }
    return 0;
  }
}
