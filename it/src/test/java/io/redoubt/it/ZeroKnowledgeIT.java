package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The zero-knowledge canary: unique strings sent through the real stack (some read by the
 * recipient, some left waiting in the queue) never appear on the server's side — not in a full dump
 * of the database, not in MariaDB's own files, not in any server log, not in the server's data
 * directory (deployments, transaction logs, blob store), in raw, base64, base64url or hex form. The
 * recipient reads the ones it fetched as plain text, so the canaries did travel.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ZeroKnowledgeIT {

  private static final String PASSPHRASE = new String(Enrollments.PASSPHRASE);

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    return Deployments.builtEar();
  }

  @RegisterExtension final CliRun cli = new CliRun();

  @BeforeAll
  static void clientFipsModule() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
  }

  @Test
  void noCanaryReachesTheServersDatabaseLogsOrFiles() throws Exception {
    for (String username : List.of("alice", "bob", "carol")) {
      EnrolledDevices.revokeAllActive(Lab.signIn(username));
    }
    for (String user : List.of("alice", "bob", "carol")) {
      cli.enrolledProfile(user, user, "canary " + user);
    }
    String read = "CANARY-READ-" + UUID.randomUUID();
    String waiting = "CANARY-WAITING-" + UUID.randomUUID();
    String group = "CANARY-GROUP-" + UUID.randomUUID();

    cli.send("alice", "--to", "bob", read);
    cli.send("alice", "--to", "carol", waiting);
    cli.send("alice", "--to", "bob,carol", group);

    assertThat(
            cli.redoubt(
                PASSPHRASE + "\n",
                "--profile",
                "bob",
                "receive",
                "--wait",
                "10",
                "--passphrase-stdin",
                "--json"))
        .as(cli::err)
        .isZero();
    JsonNode inbox = Http.JSON.readTree(cli.out());
    assertThat(inbox.path("messages").findValuesAsText("text")).contains(read, group);

    Path target = Files.createDirectories(Path.of("target/canary"));
    Path dump = CanaryScan.databaseDump(target.resolve("all-databases.sql"));
    Path server = Path.of(System.getProperty("redoubt.server.home")).resolve("standalone");
    List<Path> places =
        List.of(
            dump,
            Lab.STATE, // MariaDB's data files, Keycloak's, slapd's and their logs
            server.resolve("log"),
            server.resolve("data"),
            Path.of("target/crash-server"));
    List<byte[]> canaries =
        List.of(read, waiting, group).stream()
            .map(c -> c.getBytes(StandardCharsets.UTF_8))
            .toList();

    List<String> hits = CanaryScan.hits(places, canaries);

    System.out.printf(
        "canary scan: database dump %d bytes, %s%n",
        Files.size(dump), places.subList(1, places.size()));
    assertThat(hits).as("places on the server's side holding a canary").isEmpty();
    // The scan itself finds what it looks for: the dump's own header is in the dump.
    assertThat(
            CanaryScan.hits(
                List.of(dump), List.of("MariaDB dump".getBytes(StandardCharsets.US_ASCII))))
        .isNotEmpty();
  }
}
