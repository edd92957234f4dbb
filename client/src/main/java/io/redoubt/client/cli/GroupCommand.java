package io.redoubt.client.cli;

import io.redoubt.client.AccessToken;
import io.redoubt.client.Json;
import io.redoubt.client.messaging.Conversations;
import io.redoubt.protocol.api.ConversationResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code redoubt group}: make and manage group conversations. */
@Command(
    name = "group",
    mixinStandardHelpOptions = true,
    description = "Create a group, add or remove members (group admins), rename it, or leave it.",
    subcommands = {
      GroupCommand.Create.class,
      GroupCommand.Add.class,
      GroupCommand.Remove.class,
      GroupCommand.Leave.class,
      GroupCommand.Rename.class
    })
final class GroupCommand {

  @ParentCommand RedoubtCommand parent;

  Session session() throws Exception {
    return Session.open(parent.profile());
  }

  /** {@code redoubt group create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a group with you as its first admin.")
  static final class Create implements Callable<Integer> {
    @ParentCommand GroupCommand group;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The group's name.")
    String name;

    @Option(
        names = "--members",
        split = ",",
        required = true,
        paramLabel = "USER",
        description = "The other members' usernames, comma-separated.")
    List<String> members;

    @Option(
        names = "--lifetime",
        paramLabel = "SECONDS",
        description = "Default message lifetime (default: the server's).")
    Long lifetimeSeconds;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Session session = group.session();
      ConversationResponse created =
          new Conversations(session.client())
              .createGroup(session.accessToken(), name, members, lifetimeSeconds);
      return show(spec, created, json, "Created");
    }
  }

  /** {@code redoubt group add}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Add members to a group (group admins).")
  static final class Add implements Callable<Integer> {
    @ParentCommand GroupCommand group;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The group's conversation id.")
    UUID id;

    @Option(
        names = "--members",
        split = ",",
        required = true,
        paramLabel = "USER",
        description = "Usernames to add, comma-separated.")
    List<String> members;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Session session = group.session();
      ConversationResponse updated =
          new Conversations(session.client()).add(session.accessToken(), id, members);
      return show(spec, updated, json, "Updated");
    }
  }

  /** {@code redoubt group remove}. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description =
          "Remove a member (group admins): their devices receive nothing sent from then on.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand GroupCommand group;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The group's conversation id.")
    UUID id;

    @Parameters(index = "1", paramLabel = "USER", description = "The username to remove.")
    String username;

    @Override
    public Integer call() throws Exception {
      Session session = group.session();
      try {
        new Conversations(session.client()).remove(session.accessToken(), id, username);
      } catch (IllegalArgumentException notMember) {
        throw new RedoubtCommand.UserFacingException(notMember.getMessage());
      }
      spec.commandLine().getOut().printf("Removed %s from %s.%n", username, id);
      return 0;
    }
  }

  /** {@code redoubt group leave}. */
  @Command(
      name = "leave",
      mixinStandardHelpOptions = true,
      description = "Leave a group: your devices receive nothing sent from then on.")
  static final class Leave implements Callable<Integer> {
    @ParentCommand GroupCommand group;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The group's conversation id.")
    UUID id;

    @Override
    public Integer call() throws Exception {
      Session session = group.session();
      AccessToken token = session.accessToken();
      String me = session.client().me(token).userId();
      new Conversations(session.client()).leave(token, id, me);
      spec.commandLine().getOut().printf("Left %s.%n", id);
      return 0;
    }
  }

  /** {@code redoubt group rename}. */
  @Command(
      name = "rename",
      mixinStandardHelpOptions = true,
      description = "Rename a group (group admins).")
  static final class Rename implements Callable<Integer> {
    @ParentCommand GroupCommand group;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The group's conversation id.")
    UUID id;

    @Parameters(index = "1", paramLabel = "NAME", description = "The new name.")
    String name;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Session session = group.session();
      ConversationResponse updated =
          new Conversations(session.client()).rename(session.accessToken(), id, name);
      return show(spec, updated, json, "Renamed");
    }
  }

  private static int show(CommandSpec spec, ConversationResponse c, boolean json, String verb)
      throws Exception {
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.WRITER.writeValueAsString(c));
    } else {
      out.printf("%s group:%n", verb);
      ConversationsCommand.print(out, c);
    }
    return 0;
  }
}
