package io.redoubt.client.cli;

import io.redoubt.client.RedoubtApiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code redoubt admin}: operations for administrators (role redoubt-admin). */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = "Administer the installation (administrators only).",
    subcommands = {AdminCaCommand.class, AdminSyncCommand.class, CommandLine.HelpCommand.class})
final class AdminCommand {

  @ParentCommand RedoubtCommand parent;

  Session session() throws Exception {
    return Session.open(parent.profile());
  }

  /** A 403 from an admin endpoint, said plainly. */
  static Exception explained(RedoubtApiException e) {
    if (e.status() == 403) {
      return new RedoubtCommand.UserFacingException(
          "only administrators (role redoubt-admin) may do this; you are signed in without it");
    }
    return e;
  }
}
