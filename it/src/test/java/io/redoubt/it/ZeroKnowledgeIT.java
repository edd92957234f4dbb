package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.protocol.attachments.AttachmentFormat;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-knowledge canary: unique strings sent through the real stack (some read by the
 * recipient, some left waiting in the queue) never appear on the server's side — not in a full dump
 * of the database, not in MariaDB's own files, not in any server log, not in the server's data
 * directory (deployments, transaction logs, blob store), in raw, base64, base64url or hex form. Two
 * of them are files sent with {@code send --file}, one of which stays in the blob store unread. The
 * recipient reads the ones it fetched as plain text and saves the file, so the canaries did travel.
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

  /** A text file of about 300 KiB (five chunks) in which {@code canary} appears on every line. */
  private static Path canaryFile(Path file, String canary) throws Exception {
    StringBuilder text = new StringBuilder();
    for (int line = 0; text.length() < 300_000; line++) {
      text.append(line).append(": the minutes say ").append(canary).append('\n');
    }
    return Files.writeString(file, text);
  }

  @Test
  void noCanaryReachesTheServersDatabaseLogsOrFiles(@TempDir Path work) throws Exception {
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
    // Files whose plaintext is canaries, each several chunks long: one read (its blob deleted
    // with the acknowledgement), one left waiting in carol's queue (its blob stays in the store).
    String fileRead = "CANARY-FILE-READ-" + UUID.randomUUID();
    String fileWaiting = "CANARY-FILE-WAITING-" + UUID.randomUUID();
    Path readFile = canaryFile(work.resolve("read-report.txt"), fileRead);
    Path waitingFile = canaryFile(work.resolve("waiting-report.txt"), fileWaiting);
    cli.send("alice", "--to", "bob", "--file", readFile.toString(), "file " + read);
    String waitingBlob =
        cli.send("alice", "--to", "carol", "--file", waitingFile.toString())
            .path("files")
            .get(0)
            .path("blobId")
            .asText();

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
    // The file canary travelled: bob saved it (outside every place scanned below).
    JsonNode fileMessage = null;
    for (JsonNode message : inbox.path("messages")) {
      if (("file " + read).equals(message.path("text").asText(null))) {
        fileMessage = message;
      }
    }
    assertThat(fileMessage).as("the file message in " + inbox).isNotNull();
    Path saved = Path.of(fileMessage.path("files").get(0).path("path").asText());
    assertThat(Files.readString(saved)).contains(fileRead);

    Path target = Files.createDirectories(Path.of("target/canary"));
    Path dump = CanaryScan.databaseDump(target.resolve("all-databases.sql"));
    Path server = Path.of(System.getProperty("redoubt.server.home")).resolve("standalone");
    Path blobFile =
        server
            .resolve("data")
            .resolve("blobs")
            .resolve(waitingBlob.substring(0, 2))
            .resolve(waitingBlob);
    assertThat(blobFile)
        .as("the waiting file's blob in the store")
        .isRegularFile()
        .hasSize(AttachmentFormat.ciphertextLength(Files.size(waitingFile)));
    List<Path> places =
        List.of(
            dump,
            Lab.STATE, // MariaDB's data files, Keycloak's, slapd's and their logs
            server.resolve("log"),
            server.resolve("data"), // deployments, transaction logs, the blob store
            Path.of("target/crash-server"));
    // The blob store is among the places scanned, and the scan reads its files: it finds the
    // waiting blob by 48 bytes of its own ciphertext.
    Path storeRoot =
        places.stream()
            .filter(blobFile::startsWith)
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("the blob store is not among the scanned places"));
    byte[] blobBytes;
    try (var in = Files.newInputStream(blobFile)) {
      in.skipNBytes(AttachmentFormat.HEADER_LENGTH);
      blobBytes = in.readNBytes(48);
    }
    assertThat(CanaryScan.hits(List.of(storeRoot), List.of(blobBytes)))
        .as("the scan reaches the blob store")
        .anyMatch(hit -> hit.startsWith(blobFile + ": "));
    List<byte[]> canaries =
        List.of(read, waiting, group, fileRead, fileWaiting).stream()
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
