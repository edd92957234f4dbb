package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code redoubt} command against the real server and Keycloak, as a person would use it. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CliIT {

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    return Deployments.builtEar();
  }

  @RegisterExtension final CliRun cli = new CliRun();

  private int login(String username, String password) {
    return cli.login(null, username, password);
  }

  @Test
  void aliceSignsInSeesHerselfAndSignsOut() {
    assertThat(login("alice", Lab.env("DEMO_PASSWORD"))).as(cli::err).isZero();
    assertThat(cli.out()).contains("Signed in to Redoubt Lab").contains("as alice");

    assertThat(cli.redoubt(null, "whoami", "--json")).as(cli::err).isZero();
    assertThat(cli.out()).contains("\"username\":\"alice\"").contains("\"ops\"");

    assertThat(cli.redoubt(null, "logout")).isZero();
    assertThat(cli.redoubt(null, "whoami")).isEqualTo(1);
    assertThat(cli.err()).contains("signed out: run redoubt login");
  }

  @Test
  void theProfileKeepsNoPassword() throws Exception {
    String password = Lab.env("DEMO_PASSWORD");
    assertThat(login("bob", password)).as(cli::err).isZero();

    try (var files = Files.walk(cli.home())) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain(password);
      }
    }
  }

  @Test
  void aWrongPasswordIsRefusedWithTheProvidersReason() {
    assertThat(login("carol", "not-her-password")).isEqualTo(1);
    assertThat(cli.err()).contains("Invalid user credentials").doesNotContain("not-her");
  }

  @Test
  void someoneOutsideRedoubtsGroupsIsToldSo() {
    assertThat(login("mallory", Lab.env("DEMO_PASSWORD"))).isEqualTo(1);
    assertThat(cli.err()).contains("may not use Redoubt");
  }

  @Test
  void infoNeedsNoSignIn() {
    assertThat(
            cli.redoubt(
                null,
                "info",
                "--server",
                Lab.SERVER.toString(),
                "--ca-file",
                Lab.TLS_CERT.toString(),
                "--json"))
        .as(cli::err)
        .isZero();
    assertThat(cli.out()).contains("\"approvedOnly\":true").contains("/realms/redoubt");
  }
}
