package io.redoubt.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedoubtCommandTest {

  @TempDir Path home;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void privateHome() {
    System.setProperty("redoubt.home", home.toString());
  }

  @AfterEach
  void restore() {
    System.clearProperty("redoubt.home");
  }

  private int run(String... args) {
    return RedoubtCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "login",
        "logout",
        "whoami",
        "info",
        "device",
        "device enroll",
        "device list",
        "device revoke",
        "kt",
        "kt verify",
        "lookup",
        "send",
        "receive",
        "conversations",
        "group",
        "group create",
        "group add",
        "group remove",
        "group leave",
        "group rename"
      })
  void everyCommandHasHelp(String command) {
    String[] words = (command + " --help").split(" ");
    assertThat(run(words)).isZero();
    assertThat(out.toString()).startsWith("Usage: redoubt " + command);
  }

  @Test
  void sendNeedsExactlyOneTargetAndNeverTakesAPassphraseOption() {
    assertThat(run("send", "hello")).isEqualTo(2);
    assertThat(
            run(
                "send",
                "--to",
                "bob",
                "--conversation",
                java.util.UUID.randomUUID().toString(),
                "hello"))
        .isEqualTo(2);
    assertThat(run("send", "--to", "bob", "--passphrase", "x".repeat(20), "hello")).isEqualTo(2);
  }

  @Test
  void sendNeedsTextOrAFile() {
    assertThat(run("send", "--to", "bob")).isEqualTo(2);
    assertThat(err.toString()).contains("Nothing to send: give TEXT, --file PATH, or both.");
  }

  @Test
  void aFileThatCannotBeSentIsNamedBeforeAnythingElseHappens() throws Exception {
    Path missing = home.resolve("minutes.pdf");
    assertThat(run("send", "--to", "bob", "--file", missing.toString())).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo("redoubt: cannot send " + missing + ": no such file" + System.lineSeparator());

    err.getBuffer().setLength(0);
    assertThat(run("send", "--to", "bob", "--file", home.toString(), "text")).isEqualTo(1);
    assertThat(err.toString()).contains("cannot send " + home + ": not a regular file");

    Path locked = java.nio.file.Files.writeString(home.resolve("locked.txt"), "secret");
    boolean posix =
        java.nio.file.Files.getFileStore(locked).supportsFileAttributeView("posix")
            && !"root".equals(System.getProperty("user.name"));
    if (posix) {
      java.nio.file.Files.setPosixFilePermissions(locked, java.util.Set.of());
      err.getBuffer().setLength(0);
      assertThat(run("send", "--to", "bob", "--file", locked.toString())).isEqualTo(1);
      assertThat(err.toString()).contains("cannot send " + locked + ": not readable");
    }
  }

  @Test
  void receiveRefusesASaveDirectoryThatIsAFile() throws Exception {
    Path file = java.nio.file.Files.writeString(home.resolve("a-file"), "x");
    assertThat(run("receive", "--save-dir", file.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("cannot save files in " + file + ": not a directory");
  }

  @Test
  void messagingNeedsASignIn() {
    assertThat(run("send", "--to", "bob", "hello")).isEqualTo(1);
    assertThat(run("receive")).isEqualTo(1);
    assertThat(run("conversations")).isEqualTo(1);
    assertThat(err.toString()).contains("not signed in");
  }

  @Test
  void theDevicePassphraseIsNeverAnOption() {
    assertThat(run("device", "enroll", "--name", "laptop", "--passphrase", "x".repeat(20)))
        .isEqualTo(2);
    assertThat(err.toString()).contains("Unknown options: '--passphrase'");
  }

  @Test
  void deviceAndTransparencyCommandsNeedASignIn() {
    assertThat(run("kt", "verify")).isEqualTo(RedoubtCommand.FAILED);
    assertThat(err.toString()).contains("not signed in on profile 'default'");
  }

  @Test
  void commandsThatNeedASignInSayHowToGetOne() {
    assertThat(run("whoami")).isEqualTo(RedoubtCommand.FAILED);
    assertThat(err.toString())
        .isEqualTo(
            "redoubt: not signed in on profile 'default': run redoubt login --server URL"
                + System.lineSeparator());
  }

  @Test
  void loginRefusesPlainHttpBeforeSendingAnything() {
    assertThat(run("login", "--server", "http://redoubt.example")).isEqualTo(1);
    assertThat(err.toString()).contains("--server must be an https:// URL");
  }

  @Test
  void aPasswordFromStdinNeedsAUsername() {
    assertThat(run("login", "--server", "https://redoubt.example", "--password-stdin"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("--password-stdin needs --username");
  }

  @Test
  void unknownOptionsAreUsageErrors() {
    assertThat(run("whoami", "--colour")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option: '--colour'");
  }
}
