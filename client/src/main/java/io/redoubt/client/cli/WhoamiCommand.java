package io.redoubt.client.cli;

import io.redoubt.client.Json;
import io.redoubt.protocol.api.MeResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code redoubt whoami}: who the server takes this profile to be. */
@Command(
    name = "whoami",
    mixinStandardHelpOptions = true,
    description = "Show who you are signed in as, with your roles and directory groups.")
final class WhoamiCommand implements Callable<Integer> {

  @ParentCommand RedoubtCommand parent;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Session session = Session.open(parent.profile());
    MeResponse me = session.client().me(session.accessToken());
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.WRITER.writeValueAsString(me));
    } else {
      out.printf("user:    %s (%s)%n", me.username(), me.userId());
      out.printf("server:  %s%n", session.settings().server());
      out.printf("roles:   %s%n", String.join(", ", me.roles()));
      out.printf("groups:  %s%n", String.join(", ", me.groups()));
    }
    return 0;
  }
}
