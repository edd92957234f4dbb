package io.redoubt.client.cli;

import io.redoubt.client.DeviceAuthorization;
import io.redoubt.client.OidcSignIn;
import io.redoubt.client.OrganisationPins;
import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.RedoubtClient;
import io.redoubt.client.Tokens;
import io.redoubt.client.transparency.MonitorState;
import io.redoubt.client.transparency.SignedHeads;
import io.redoubt.protocol.api.InfoResponse;
import io.redoubt.protocol.api.MeResponse;
import io.redoubt.protocol.api.TreeHeadResponse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code redoubt login}: signs in to a Redoubt server and remembers it in the profile. */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = {
      "Sign in to a Redoubt server.",
      "By default you approve the sign-in in a browser (OAuth device authorization grant);",
      "--password-stdin is for the lab and for bots."
    })
final class LoginCommand implements Callable<Integer> {

  @ParentCommand RedoubtCommand parent;
  @Spec CommandSpec spec;

  @Option(
      names = "--server",
      required = true,
      description = "Server URL, e.g. https://redoubt.agency.example")
  URI server;

  @Option(names = "--username", description = "Your username (required with --password-stdin).")
  String username;

  @Option(
      names = "--password-stdin",
      description = "Read the password from standard input (lab and test realms only).")
  boolean passwordStdin;

  @Option(
      names = "--ca-file",
      description = "PEM file with the CA that issued the server's TLS certificate.")
  Path caFile;

  @Override
  public Integer call() throws Exception {
    if (!"https".equals(server.getScheme())) {
      throw new RedoubtCommand.UserFacingException("--server must be an https:// URL: " + server);
    }
    if (passwordStdin && username == null) {
      throw new RedoubtCommand.UserFacingException("--password-stdin needs --username");
    }
    var provisional = new Profile.Settings(server, server, "", username, caFile);
    SSLContext tls = Session.tls(provisional);
    InfoResponse info = new RedoubtClient(server, tls).info();
    InfoResponse.IdentityProvider idp = info.identityProvider();
    OidcSignIn signIn = new OidcSignIn(URI.create(idp.issuer()), idp.clientId(), tls);

    Tokens tokens = passwordStdin ? signInWithPassword(signIn) : signIn.withDeviceCode(this::show);
    MeResponse me;
    try {
      me = new RedoubtClient(server, tls).me(tokens.access());
    } catch (RedoubtApiException refused) {
      if (refused.status() == 403) {
        throw new RedoubtCommand.UserFacingException(
            "signed in, but your account may not use Redoubt at "
                + info.organisation()
                + " (no Redoubt role); ask your administrator");
      }
      throw refused;
    }
    Profile profile = parent.profile();
    firstContact(profile, info, tokens, me, tls);
    profile.save(
        new Profile.Settings(
            server, URI.create(idp.issuer()), idp.clientId(), me.username(), caFile));
    profile.save(tokens);
    spec.commandLine()
        .getOut()
        .printf(
            "Signed in to %s (%s) as %s %s%n",
            info.organisation(), server, me.username(), me.roles());
    return 0;
  }

  /**
   * Pins the organisation's device CA and log key, and starts the profile's view of the log at the
   * newest signed head (trust on first use; see the transparency docs). A profile that has them
   * already keeps them: a changed key, or another user, is refused rather than silently replacing
   * what the profile trusted.
   */
  private void firstContact(
      Profile profile, InfoResponse info, Tokens tokens, MeResponse me, SSLContext tls)
      throws Exception {
    OrganisationPins offered = OrganisationPins.fromInfo(info);
    var pinned = profile.pins();
    if (pinned.isPresent()) {
      pinned.get().requireUnchanged(info);
    }
    var state = profile.transparency();
    if (state.isPresent()) {
      if (!state.get().userId().equals(me.userId())) {
        throw new RedoubtCommand.UserFacingException(
            "profile '"
                + profile.directory().getFileName()
                + "' belongs to another user; sign in as "
                + me.username()
                + " with another --profile");
      }
      return;
    }
    TreeHeadResponse head;
    try {
      head = new RedoubtClient(server, tls).transparency(tokens.access()).newestHead();
      SignedHeads.verify(head, offered.logKey());
    } catch (RedoubtApiException notYetSigned) {
      if (notYetSigned.status() != 503) {
        throw notYetSigned;
      }
      head = null; // a new log: the profile starts at size 0
    }
    if (pinned.isEmpty()) {
      profile.save(offered);
    }
    profile.save(MonitorState.start(me.userId(), head));
  }

  private Tokens signInWithPassword(OidcSignIn signIn) throws Exception {
    var stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = stdin.readLine();
    if (line == null || line.isEmpty()) {
      throw new RedoubtCommand.UserFacingException("no password on standard input");
    }
    return signIn.withPassword(username, line.toCharArray());
  }

  private void show(DeviceAuthorization authorization) {
    var err = spec.commandLine().getErr();
    err.println("To sign in, open this page in a browser and confirm the code:");
    err.println(
        "  "
            + (authorization.verificationUriComplete() != null
                ? authorization.verificationUriComplete()
                : authorization.verificationUri()));
    err.println("  code: " + authorization.userCode());
    err.println(
        "Waiting for your approval (the code expires in "
            + authorization.expiresIn().toMinutes()
            + " min)...");
    err.flush();
  }
}
