package io.redoubt.client.cli;

import io.redoubt.client.RedoubtApiException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code redoubt logout}: ends the session at the identity provider and forgets the tokens. */
@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    description = "Sign out: end the session and delete this profile's tokens.")
final class LogoutCommand implements Callable<Integer> {

  @ParentCommand RedoubtCommand parent;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Profile profile = parent.profile();
    var tokens = profile.tokens();
    if (tokens.isPresent() && tokens.get().refreshToken() != null) {
      try {
        Session.open(profile).signIn().signOut(tokens.get().refreshToken());
      } catch (RedoubtApiException alreadyEnded) {
        // The session was over already (expired, or ended by an administrator): nothing to end.
      }
    }
    profile.forgetTokens();
    spec.commandLine().getOut().println("Signed out.");
    return 0;
  }
}
