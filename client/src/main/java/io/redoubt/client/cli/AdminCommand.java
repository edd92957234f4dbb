package io.redoubt.client.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code redoubt admin}: operations for administrators (role redoubt-admin). */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = "Administer the installation (administrators only).",
    subcommands = {AdminCaCommand.class, CommandLine.HelpCommand.class})
final class AdminCommand {

  @ParentCommand RedoubtCommand parent;
}
