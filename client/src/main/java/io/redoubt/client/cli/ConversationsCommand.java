package io.redoubt.client.cli;

import io.redoubt.client.Json;
import io.redoubt.client.messaging.Conversations;
import io.redoubt.protocol.api.ConversationResponse;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code redoubt conversations}: the conversations you are in. */
@Command(
    name = "conversations",
    mixinStandardHelpOptions = true,
    description = "List your conversations: id, kind, name, members and default lifetime.")
final class ConversationsCommand implements Callable<Integer> {

  @ParentCommand RedoubtCommand parent;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Session session = Session.open(parent.profile());
    List<ConversationResponse> list =
        new Conversations(session.client()).list(session.accessToken());
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.WRITER.writeValueAsString(list));
    } else if (list.isEmpty()) {
      out.println("No conversations. Start one with: redoubt send --to USER TEXT");
    } else {
      list.forEach(c -> print(out, c));
    }
    return 0;
  }

  static void print(PrintWriter out, ConversationResponse c) {
    out.printf(
        "%s  %-6s %s  members: %s  (messages kept %ds)%n",
        c.id(),
        c.kind(),
        c.name() == null ? "" : "'" + c.name() + "'",
        c.members() == null
            ? ""
            : String.join(
                ", ",
                c.members().stream()
                    .map(m -> m.username() + ("admin".equals(m.role()) ? " (admin)" : ""))
                    .toList()),
        c.defaultLifetimeSeconds());
  }
}
