package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.redoubt.client.cli.RedoubtCommand;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code redoubt} command against the real server and Keycloak, as a person would use it. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CliIT {

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    return Deployments.builtEar();
  }

  private Path home;
  private InputStream stdin;
  private StringWriter out;
  private StringWriter err;

  @BeforeEach
  void privateHome() throws Exception {
    home = Files.createTempDirectory("redoubt-home");
    System.setProperty("redoubt.home", home.toString());
    stdin = System.in;
  }

  @AfterEach
  void restore() {
    System.clearProperty("redoubt.home");
    System.setIn(stdin);
  }

  private int redoubt(String stdinText, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    if (stdinText != null) {
      System.setIn(new ByteArrayInputStream(stdinText.getBytes(StandardCharsets.UTF_8)));
    }
    return RedoubtCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private int login(String username, String password) {
    return redoubt(
        password + "\n",
        "login",
        "--server",
        Lab.SERVER.toString(),
        "--ca-file",
        Lab.TLS_CERT.toString(),
        "--username",
        username,
        "--password-stdin");
  }

  @Test
  void aliceSignsInSeesHerselfAndSignsOut() {
    assertThat(login("alice", Lab.env("DEMO_PASSWORD"))).as(err::toString).isZero();
    assertThat(out.toString()).contains("Signed in to Redoubt Lab").contains("as alice");

    assertThat(redoubt(null, "whoami", "--json")).as(err::toString).isZero();
    assertThat(out.toString()).contains("\"username\":\"alice\"").contains("\"ops\"");

    assertThat(redoubt(null, "logout")).isZero();
    assertThat(redoubt(null, "whoami")).isEqualTo(1);
    assertThat(err.toString()).contains("signed out: run redoubt login");
  }

  @Test
  void theProfileKeepsNoPassword() throws Exception {
    String password = Lab.env("DEMO_PASSWORD");
    assertThat(login("bob", password)).as(err::toString).isZero();

    try (var files = Files.walk(home)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain(password);
      }
    }
  }

  @Test
  void aWrongPasswordIsRefusedWithTheProvidersReason() {
    assertThat(login("carol", "not-her-password")).isEqualTo(1);
    assertThat(err.toString()).contains("Invalid user credentials").doesNotContain("not-her");
  }

  @Test
  void someoneOutsideRedoubtsGroupsIsToldSo() {
    assertThat(login("mallory", Lab.env("DEMO_PASSWORD"))).isEqualTo(1);
    assertThat(err.toString()).contains("may not use Redoubt");
  }

  @Test
  void infoNeedsNoSignIn() {
    assertThat(
            redoubt(
                null,
                "info",
                "--server",
                Lab.SERVER.toString(),
                "--ca-file",
                Lab.TLS_CERT.toString(),
                "--json"))
        .as(err::toString)
        .isZero();
    assertThat(out.toString()).contains("\"approvedOnly\":true").contains("/realms/redoubt");
  }
}
