package io.redoubt.client.cli;

import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.directory.DeviceRejectedException;
import io.redoubt.client.transparency.TransparencyException;
import io.redoubt.client.trust.UntrustedRevocationListException;
import io.redoubt.protocol.crypto.FipsModule;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.security.Security;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code redoubt}: the command-line client. */
@Command(
    name = "redoubt",
    mixinStandardHelpOptions = true,
    versionProvider = RedoubtCommand.Version.class,
    description = "Secure messaging for your organisation, from the command line.",
    subcommands = {
      LoginCommand.class,
      LogoutCommand.class,
      WhoamiCommand.class,
      InfoCommand.class,
      DeviceCommand.class,
      KtCommand.class,
      LookupCommand.class,
      SendCommand.class,
      ReceiveCommand.class,
      ConversationsCommand.class,
      GroupCommand.class,
      AdminCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RedoubtCommand {

  /** Exit status for a refusal or failure the message explains (usage errors exit 2). */
  static final int FAILED = 1;

  /**
   * Exit status when the log shows a certificate for your user that this profile did not enroll.
   */
  static final int ALARM = 3;

  /**
   * Exit status when something the server showed does not verify: a head signature, a consistency
   * or inclusion proof, a log scan, a device certificate (lookup, enrollment, a recipient of a
   * message), or the sender of a received message.
   */
  static final int UNVERIFIED = 4;

  @Option(
      names = "--profile",
      defaultValue = "${env:REDOUBT_PROFILE:-default}",
      description = "Profile to use (default: ${DEFAULT-VALUE}); one per server and identity.")
  String profileName;

  /** Runs the command and returns the exit status. */
  public static int run(String... args) {
    // The terminal's encoding is the platform's; say so explicitly rather than by accident.
    Charset terminal = Charset.defaultCharset();
    return run(
        new PrintWriter(new OutputStreamWriter(System.out, terminal), true),
        new PrintWriter(new OutputStreamWriter(System.err, terminal), true),
        args);
  }

  /**
   * BCJSSE reports, through java.util.logging, how it reads the JDK's TLS security properties
   * (INFO, and WARNING for entries it does not support) on every start: noise on a person's
   * terminal that says nothing about their command. Held here so the setting is not collected.
   */
  private static final Logger TLS_LOG = Logger.getLogger("org.bouncycastle.jsse");

  /** Runs the command with its output and errors sent to the given writers. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    TLS_LOG.setLevel(Level.SEVERE);
    // Last in the list: the SDK names BCFIPS for every protocol operation and runs TLS on BCJSSE
    // over it (TrustAnchors); the JDK's providers stay for what third-party code asks by name.
    if (Security.getProvider(FipsModule.PROVIDER) == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
    CommandLine commandLine = new CommandLine(new RedoubtCommand());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(RedoubtCommand::explain);
    return commandLine.execute(args);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  Profile profile() {
    return Profile.named(home(), profileName);
  }

  /**
   * {@code $REDOUBT_HOME}, or {@code ~/.redoubt}. The system property {@code redoubt.home} wins,
   * for tests that cannot set the environment.
   */
  static Path home() {
    String configured = System.getProperty("redoubt.home", System.getenv("REDOUBT_HOME"));
    return configured != null
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".redoubt");
  }

  /** Turns failures into one line naming the fault; never a stack trace, never a token. */
  private static int explain(
      Exception failure, CommandLine command, CommandLine.ParseResult parse) {
    PrintWriter err = command.getErr();
    String message;
    int status = FAILED;
    if (failure instanceof TransparencyException unverified) {
      message = "transparency check FAILED: " + unverified.getMessage();
      status = UNVERIFIED;
    } else if (failure instanceof UntrustedRevocationListException untrusted) {
      message = "revocation list REJECTED: " + untrusted.getMessage();
      status = UNVERIFIED;
    } else if (failure instanceof DeviceRejectedException rejected) {
      message = "device certificate REJECTED: " + rejected.getMessage();
      status = UNVERIFIED;
    } else if (failure instanceof RedoubtApiException api) {
      message = api.getMessage();
      if (api.status() == 401 && "urn:redoubt:problem:unauthorized".equals(api.problemType())) {
        message += " (sign in again: redoubt login)";
      }
      if (api.retryAfter().isPresent()) {
        message +=
            " (the server asks to try again in " + api.retryAfter().get().toSeconds() + " s)";
      }
    } else if (failure instanceof UserFacingException user) {
      message = user.getMessage();
    } else if (failure instanceof ConnectException) {
      message = "cannot connect to the server: " + failure.getMessage();
    } else if (failure instanceof HttpTimeoutException) {
      message = "the server did not answer in time";
    } else if (failure instanceof SSLException) {
      message =
          "TLS failed: "
              + failure.getMessage()
              + " (is the server's CA in --ca-file or the system trust store?)";
    } else if (failure instanceof IOException) {
      message = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    } else {
      message = "unexpected failure: " + failure;
    }
    err.println("redoubt: " + message);
    err.flush();
    return status;
  }

  /** A failure whose message is written for the person at the terminal. */
  static final class UserFacingException extends Exception {
    private static final long serialVersionUID = 1L;

    UserFacingException(String message) {
      super(message);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = RedoubtCommand.class.getPackage().getImplementationVersion();
      return new String[] {"redoubt " + (version == null ? "development" : version)};
    }
  }
}
