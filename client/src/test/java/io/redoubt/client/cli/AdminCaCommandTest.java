package io.redoubt.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code redoubt admin ca}: help, and the faults it names before asking the server anything. */
class AdminCaCommandTest {

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
  @ValueSource(strings = {"admin", "admin ca", "admin ca csr", "admin ca import"})
  void everyCommandHasHelp(String command) {
    String[] words = (command + " --help").split(" ");

    assertThat(run(words)).isZero();
    assertThat(out.toString()).startsWith("Usage: redoubt " + command);
  }

  @Test
  void theCaHelpGivesTheSteps() {
    run("admin", "ca", "--help");

    assertThat(out.toString())
        .contains("redoubt admin ca csr --out")
        .contains("redoubt admin ca import");
  }

  @Test
  void importNamesAMissingFile() {
    assertThat(run("admin", "ca", "import", home.resolve("nope.pem").toString()))
        .isEqualTo(RedoubtCommand.FAILED);
    assertThat(err.toString()).contains("no file").contains("nope.pem");
  }

  @Test
  void importRefusesAFileWithoutACertificateBeforeSigningIn() throws Exception {
    Path csr = Files.writeString(home.resolve("ca.csr"), "-----BEGIN CERTIFICATE REQUEST-----\n");

    assertThat(run("admin", "ca", "import", csr.toString())).isEqualTo(RedoubtCommand.FAILED);
    assertThat(err.toString()).contains("holds no PEM certificate");
  }

  @Test
  void csrNeedsASignIn() {
    assertThat(run("admin", "ca", "csr")).isEqualTo(RedoubtCommand.FAILED);
    assertThat(err.toString()).contains("not signed in");
  }

  @Test
  void importNeedsAFile() {
    assertThat(run("admin", "ca", "import")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
  }
}
