package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.client.cli.RedoubtCommand;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the {@code redoubt} command in this JVM as a person would in a shell: each test gets its own
 * empty {@code $REDOUBT_HOME}, text for standard input, and the command's output and errors to
 * assert on. Register with {@code @RegisterExtension final CliRun cli = new CliRun();}.
 */
final class CliRun implements BeforeEachCallback, AfterEachCallback {

  private static final String PASSPHRASE = new String(Enrollments.PASSPHRASE);

  private Path home;
  private InputStream stdin;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    home = Files.createTempDirectory("redoubt-home");
    System.setProperty("redoubt.home", home.toString());
    stdin = System.in;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.clearProperty("redoubt.home");
    System.setIn(stdin);
  }

  /** Runs {@code redoubt args…} with {@code stdinText} (or nothing) on standard input. */
  int redoubt(String stdinText, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    if (stdinText != null) {
      System.setIn(new ByteArrayInputStream(stdinText.getBytes(StandardCharsets.UTF_8)));
    }
    return RedoubtCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /** {@code redoubt [--profile P] login} as {@code username} with the lab's demo password. */
  int login(String profile, String username) {
    return login(profile, username, Lab.env("DEMO_PASSWORD"));
  }

  /** {@code redoubt [--profile P] login} as {@code username} with {@code password} on stdin. */
  int login(String profile, String username, String password) {
    String[] login = {
      "login",
      "--server",
      Lab.SERVER.toString(),
      "--ca-file",
      Lab.TLS_CERT.toString(),
      "--username",
      username,
      "--password-stdin"
    };
    if (profile == null) {
      return redoubt(password + "\n", login);
    }
    String[] withProfile = new String[login.length + 2];
    withProfile[0] = "--profile";
    withProfile[1] = profile;
    System.arraycopy(login, 0, withProfile, 2, login.length);
    return redoubt(password + "\n", withProfile);
  }

  /** The private {@code $REDOUBT_HOME} of the running test. */
  Path home() {
    return home;
  }

  /** What the last command printed on standard output. */
  /**
   * Signs {@code username} in on {@code profile} and enrolls a device named {@code deviceName}
   * there, with the test passphrase; asserts that both succeed.
   */
  void enrolledProfile(String profile, String username, String deviceName) {
    assertThat(login(profile, username)).as(this::err).isZero();
    assertThat(
            redoubt(
                PASSPHRASE + "\n",
                "--profile",
                profile,
                "device",
                "enroll",
                "--name",
                deviceName,
                "--passphrase-stdin"))
        .as(this::err)
        .isZero();
  }

  /** {@code redoubt --profile P send TARGET… --json} with the test passphrase; asserts exit 0. */
  JsonNode send(String profile, String... target) throws Exception {
    List<String> args = new ArrayList<>(List.of("--profile", profile, "send"));
    args.addAll(List.of(target));
    args.add("--passphrase-stdin");
    args.add("--json");
    assertThat(redoubt(PASSPHRASE + "\n", args.toArray(String[]::new))).as(this::err).isZero();
    return Http.JSON.readTree(out());
  }

  String out() {
    return out.toString();
  }

  /** What the last command printed on standard error. */
  String err() {
    return err.toString();
  }
}
