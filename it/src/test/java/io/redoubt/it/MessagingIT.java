package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.client.AccessToken;
import io.redoubt.client.OrganisationPins;
import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.cli.RedoubtCommand;
import io.redoubt.client.device.DeviceIdentity;
import io.redoubt.client.device.DeviceKeyStore;
import io.redoubt.client.device.PrekeyVault;
import io.redoubt.client.directory.DeviceRejectedException;
import io.redoubt.client.directory.DeviceVerifier;
import io.redoubt.client.directory.PeerDevices;
import io.redoubt.client.messaging.Attachments;
import io.redoubt.client.messaging.Messenger;
import io.redoubt.client.messaging.OutgoingMessage;
import io.redoubt.client.messaging.QueueSocket;
import io.redoubt.client.messaging.RecipientCheck;
import io.redoubt.client.messaging.SeenMessages;
import io.redoubt.client.transparency.LogMonitor;
import io.redoubt.client.transparency.LogReader;
import io.redoubt.client.transparency.MonitorState;
import io.redoubt.client.trust.RevocationCheck;
import io.redoubt.protocol.api.ConversationRecipientsResponse;
import io.redoubt.protocol.api.DirectoryResponse.DirectoryDevice;
import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.api.LogEntryResponse;
import io.redoubt.protocol.api.QueueItem;
import io.redoubt.protocol.api.TreeHeadResponse;
import io.redoubt.protocol.attachments.AttachmentDescriptor;
import io.redoubt.protocol.crypto.EcKeys;
import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.envelope.EnvelopeHeader;
import io.redoubt.protocol.envelope.EnvelopeSealer;
import io.redoubt.protocol.prekeys.SignedPrekey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Messaging end to end through the {@code redoubt} command against the real server, database, HSM
 * and identity provider: a direct message, a group, a recipient who was offline, the sender's own
 * second device, and a forged envelope that the recipient must not show as verified. Every test
 * enrolls fresh devices (revoking the users' earlier ones, so the recipient sets are known) and
 * sends texts with a random marker, so it finds its own messages whatever else is queued.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MessagingIT {

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

  /** Signs {@code username} in on {@code profile} and enrolls a device there. */
  private void device(String profile, String username) {
    cli.enrolledProfile(profile, username, "messaging " + profile);
  }

  /** Revokes every active device of these users: the tests then know every recipient. */
  private static void freshUsers(String... usernames) throws Exception {
    for (String username : usernames) {
      EnrolledDevices.revokeAllActive(Lab.signIn(username));
    }
  }

  private JsonNode send(String profile, String... target) throws Exception {
    return cli.send(profile, target);
  }

  /** {@code receive --json} on {@code profile}; asserts the exit status. */
  private JsonNode receive(String profile, int expectedStatus, String... options) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--profile", profile, "receive", "--wait", "10", "--passphrase-stdin", "--json"));
    args.addAll(List.of(options));
    int status = cli.redoubt(PASSPHRASE + "\n", args.toArray(String[]::new));
    assertThat(status).as(cli::err).isEqualTo(expectedStatus);
    return Http.JSON.readTree(cli.out());
  }

  /** {@code receive} in the text form on {@code profile}; returns the exit status. */
  private int receiveText(String profile, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("--profile", profile, "receive", "--wait", "10"));
    args.addAll(List.of(options));
    args.add("--passphrase-stdin");
    return cli.redoubt(PASSPHRASE + "\n", args.toArray(String[]::new));
  }

  private static JsonNode withText(JsonNode inbox, String text) {
    for (JsonNode message : inbox.path("messages")) {
      if (text.equals(message.path("text").asText(null))) {
        return message;
      }
    }
    throw new AssertionError("no message '" + text + "' in " + inbox);
  }

  private static String marker(String what) {
    return what + " " + UUID.randomUUID();
  }

  @Test
  void aliceWritesToBobWhoReadsItVerifiedAndOnlyOnce() throws Exception {
    freshUsers("alice", "bob");
    device("alice", "alice");
    device("bob", "bob");
    String text = marker("hello bob");

    JsonNode sent = send("alice", "--to", "bob", text);
    assertThat(sent.path("devices").asInt()).isEqualTo(1);

    JsonNode message = withText(receive("bob", 0), text);
    assertThat(message.path("verified").asBoolean()).as(message::toString).isTrue();
    assertThat(message.path("sender").asText()).isEqualTo("alice");
    assertThat(message.path("conversationId").asText())
        .isEqualTo(sent.path("conversationId").asText());
    assertThat(message.path("messageId").asText()).isEqualTo(sent.path("messageId").asText());
    // Acknowledged: the next read has nothing of it.
    assertThat(
            cli.redoubt(
                PASSPHRASE + "\n", "--profile", "bob", "receive", "--passphrase-stdin", "--json"))
        .as(cli::err)
        .isZero();
    assertThat(cli.out()).doesNotContain(text);
    // The same direct conversation is used again, in either direction.
    assertThat(send("bob", "--to", "alice", marker("hi alice")).path("conversationId").asText())
        .isEqualTo(sent.path("conversationId").asText());
  }

  @Test
  void aliceWritesToAGroupAndEveryMemberReadsIt() throws Exception {
    freshUsers("alice", "bob", "carol");
    device("alice", "alice");
    device("bob", "bob");
    device("carol", "carol");
    String name = "ops " + UUID.randomUUID();
    assertThat(
            cli.redoubt(
                null,
                "--profile",
                "alice",
                "group",
                "create",
                name,
                "--members",
                "bob,carol",
                "--json"))
        .as(cli::err)
        .isZero();
    String group = Http.JSON.readTree(cli.out()).path("id").asText();
    assertThat(cli.redoubt(null, "--profile", "bob", "conversations", "--json")).isZero();
    assertThat(cli.out()).contains(group).contains(name);
    String text = marker("to the group");

    assertThat(send("alice", "--conversation", group, text).path("devices").asInt()).isEqualTo(2);

    for (String member : List.of("bob", "carol")) {
      JsonNode message = withText(receive(member, 0), text);
      assertThat(message.path("verified").asBoolean()).as(message::toString).isTrue();
      assertThat(message.path("conversationId").asText()).isEqualTo(group);
    }
    // carol leaves; what alice sends next reaches bob only.
    assertThat(cli.redoubt(null, "--profile", "carol", "group", "leave", group))
        .as(cli::err)
        .isZero();
    assertThat(send("alice", "--conversation", group, marker("after")).path("devices").asInt())
        .isEqualTo(1);
  }

  @Test
  void bobOfflineReadsEverythingInOrderWhenHeComesBack() throws Exception {
    freshUsers("alice", "bob");
    device("alice", "alice");
    device("bob", "bob");
    List<String> texts = List.of(marker("first"), marker("second"), marker("third"));
    for (String text : texts) {
      send("alice", "--to", "bob", text);
    }

    JsonNode inbox = receive("bob", 0);

    List<String> received = new ArrayList<>();
    for (JsonNode message : inbox.path("messages")) {
      assertThat(message.path("verified").asBoolean()).as(message::toString).isTrue();
      received.add(message.path("text").asText());
    }
    assertThat(received).containsSubsequence(texts);
  }

  @Test
  void alicesSecondDeviceKeepsACopyOfWhatHerFirstSent() throws Exception {
    freshUsers("alice", "bob");
    device("alice-laptop", "alice");
    device("alice-phone", "alice");
    device("bob", "bob");
    String text = marker("sent from the laptop");

    assertThat(send("alice-laptop", "--to", "bob", text).path("devices").asInt()).isEqualTo(2);

    JsonNode own = withText(receive("alice-phone", 0), text);
    assertThat(own.path("verified").asBoolean()).as(own::toString).isTrue();
    assertThat(own.path("sender").asText()).isEqualTo("alice");
    assertThat(withText(receive("bob", 0), text).path("verified").asBoolean()).isTrue();
  }

  @Test
  void anEnvelopeWithAWrongSignatureIsShownUnverified() throws Exception {
    freshUsers("alice", "bob");
    device("alice", "alice");
    device("bob", "bob");
    UUID conversation =
        UUID.fromString(
            send("alice", "--to", "bob", marker("genuine")).path("conversationId").asText());
    receive("bob", 0);
    String text = marker("forged");

    forge("alice", conversation, text);

    JsonNode forged = withText(receive("bob", RedoubtExit.UNVERIFIED), text);
    assertThat(forged.path("verified").asBoolean()).isFalse();
    assertThat(forged.path("problem").asText()).contains("signature is not by the certified key");
    // In the text form the reason is printed beside the message.
    String again = marker("forged again");
    forge("alice", conversation, again);
    assertThat(receiveText("bob")).isEqualTo(RedoubtExit.UNVERIFIED);
    assertThat(cli.out()).contains(again).contains("[unverified: the signature is not by the");
  }

  @Test
  void aMessageFromADeviceRevokedSinceIsShownUnverified() throws Exception {
    freshUsers("alice", "bob");
    device("alice", "alice");
    device("bob", "bob");
    String text = marker("sent before revocation");
    send("alice", "--to", "bob", text);

    // Alice's device is revoked (lost, say) before bob reads: the CA's list now names it.
    EnrolledDevices.revokeAllActive(Lab.signIn("alice"));

    JsonNode message = withText(receive("bob", RedoubtExit.UNVERIFIED), text);
    assertThat(message.path("verified").asBoolean()).isFalse();
    assertThat(message.path("problem").asText()).containsIgnoringCase("revoked");
  }

  @Test
  void aFileSentWithTheCliIsSavedByTheRecipientWithTheSameBytes(@TempDir Path work)
      throws Exception {
    freshUsers("alice", "bob");
    device("alice", "alice");
    device("bob", "bob");
    Path original = work.resolve("site survey 2026.bin");
    byte[] digest = TestFiles.writeRandom(original, (3L << 20) + 12_345);
    String text = marker("the survey");
    Path saveDir = work.resolve("bob-files");

    JsonNode sent = send("alice", "--to", "bob", "--file", original.toString(), text);

    assertThat(sent.path("files").get(0).path("name").asText()).isEqualTo("site survey 2026.bin");
    assertThat(sent.path("files").get(0).path("size").asLong()).isEqualTo(Files.size(original));
    JsonNode message = withText(receive("bob", 0, "--save-dir", saveDir.toString()), text);
    assertThat(message.path("verified").asBoolean()).as(message::toString).isTrue();
    assertThat(message.path("contentType").asText())
        .isEqualTo("application/vnd.redoubt.attachment+json");
    JsonNode file = message.path("files").get(0);
    assertThat(file.path("saved").asBoolean()).as(file::toString).isTrue();
    Path saved = Path.of(file.path("path").asText());
    assertThat(saved).isEqualTo(saveDir.resolve("site survey 2026.bin").toAbsolutePath());
    assertThat(TestFiles.sha384(saved)).isEqualTo(digest);
    assertThat(Files.getPosixFilePermissions(saveDir))
        .containsExactlyInAnyOrder(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE);

    // The same name again is saved beside it, never over it; the text form prints the path.
    send("alice", "--to", "bob", "--file", original.toString(), marker("again"));
    assertThat(receiveText("bob", "--save-dir", saveDir.toString())).as(cli::err).isZero();
    Path second = saveDir.resolve("site survey 2026 (1).bin").toAbsolutePath();
    assertThat(cli.out()).contains("file: " + second + " (" + Files.size(original) + " bytes");
    assertThat(TestFiles.sha384(second)).isEqualTo(digest);
    assertThat(TestFiles.sha384(saved)).isEqualTo(digest);
    try (var left = Files.list(saveDir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no temporary file is left behind")
          .containsExactlyInAnyOrder("site survey 2026.bin", "site survey 2026 (1).bin");
    }
  }

  @Test
  void aHiddenFileNameIsSavedAsAPlainOneInTheProfilesDirectoryByDefault(@TempDir Path work)
      throws Exception {
    freshUsers("alice", "bob");
    device("alice", "alice");
    device("bob", "bob");
    Path hidden = work.resolve(".bashrc");
    Files.writeString(hidden, "echo pwned\n");
    String text = marker("dotfile");

    send("alice", "--to", "bob", "--file", hidden.toString(), text);

    JsonNode file = withText(receive("bob", 0), text).path("files").get(0);
    assertThat(file.path("name").asText()).isEqualTo(".bashrc");
    assertThat(Path.of(file.path("path").asText()))
        .isEqualTo(cli.home().resolve("bob/attachments/bashrc").toAbsolutePath());
    assertThat(Files.readString(Path.of(file.path("path").asText()))).isEqualTo("echo pwned\n");
  }

  @Test
  void aFileOverTheServersLimitIsRefusedWithAClearError(@TempDir Path work) throws Exception {
    freshUsers("alice", "bob");
    device("alice", "alice");
    device("bob", "bob");
    long limit = Long.parseLong(System.getProperty("it.blob.limit", "268435456"));
    Path huge = work.resolve("huge.iso");
    try (var file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(limit); // sparse: its ciphertext is over the limit by the format's overhead
    }

    int status =
        cli.redoubt(
            PASSPHRASE + "\n",
            "--profile",
            "alice",
            "send",
            "--to",
            "bob",
            "--file",
            huge.toString(),
            "--passphrase-stdin");

    assertThat(status).isEqualTo(1);
    assertThat(cli.err()).startsWith("redoubt: ").contains(huge.toString()).contains("too large");
    System.out.println("over-limit send: " + cli.err().strip());
  }

  @Test
  void theFileOfAnUnverifiedMessageIsNotSaved(@TempDir Path work) throws Exception {
    freshUsers("alice", "bob");
    device("alice", "alice");
    device("bob", "bob");
    UUID conversation =
        UUID.fromString(
            send("alice", "--to", "bob", marker("genuine")).path("conversationId").asText());
    receive("bob", 0);
    Path payload = Files.writeString(work.resolve("invoice.pdf"), "not really an invoice");
    String text = marker("forged file");
    Path saveDir = work.resolve("bob-files");

    forgeFile("alice", conversation, text, payload);

    JsonNode forged =
        withText(receive("bob", RedoubtExit.UNVERIFIED, "--save-dir", saveDir.toString()), text);
    assertThat(forged.path("verified").asBoolean()).isFalse();
    JsonNode file = forged.path("files").get(0);
    assertThat(file.path("saved").asBoolean()).isFalse();
    assertThat(file.path("path").isNull()).isTrue();
    assertThat(file.path("problem").asText()).contains("sender is not verified");
    assertThat(saveDir).doesNotExist();
  }

  @Test
  void aMessageSentWhileReceiveWaitsArrivesOverTheSocket() throws Exception {
    freshUsers("alice", "bob");
    device("alice", "alice");
    device("bob", "bob");
    // The direct conversation exists (its control message is read) and nothing is waiting: the
    // command must wait for what comes next.
    send("alice", "--to", "bob", marker("before"));
    assertThat(
            cli.redoubt(
                PASSPHRASE + "\n", "--profile", "bob", "receive", "--passphrase-stdin", "--json"))
        .as(cli::err)
        .isZero();
    String text = marker("live");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    System.setIn(new ByteArrayInputStream((PASSPHRASE + "\n").getBytes(StandardCharsets.UTF_8)));
    AtomicLong returnedAt = new AtomicLong();
    CompletableFuture<Integer> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              int status =
                  RedoubtCommand.run(
                      new PrintWriter(out, true),
                      new PrintWriter(err, true),
                      "--profile",
                      "bob",
                      "receive",
                      "--wait",
                      "60",
                      "--passphrase-stdin",
                      "--json");
              returnedAt.set(System.nanoTime());
              return status;
            });
    // Long enough for bob's command to read its passphrase and the empty queue and be waiting.
    Thread.sleep(4_000);
    assertThat(waiting).as("receive --wait returned before anything was sent: " + err).isNotDone();

    long sending = System.nanoTime();
    send("alice", "--to", "bob", text);
    long sent = System.nanoTime();

    assertThat(waiting.get(60, TimeUnit.SECONDS)).as(err::toString).isZero();
    JsonNode inbox = Http.JSON.readTree(out.toString());
    assertThat(withText(inbox, text).path("verified").asBoolean()).isTrue();
    assertThat(inbox.path("delivery").asText()).as(err::toString).isEqualTo("socket");
    assertThat(err.toString()).doesNotContain("polling");
    System.out.printf(
        "receive --wait over the socket: send took %d ms, returned %d ms after the send's 201%n",
        (sent - sending) / 1_000_000, (returnedAt.get() - sent) / 1_000_000);
    // Acknowledged over the socket: the queue is empty for the next read.
    assertThat(
            cli.redoubt(
                PASSPHRASE + "\n", "--profile", "bob", "receive", "--passphrase-stdin", "--json"))
        .as(cli::err)
        .isZero();
    assertThat(Http.JSON.readTree(cli.out()).path("messages")).isEmpty();
  }

  @Test
  void anSdkGroupSendVerifiesWithTheServedLogEntriesAndRefusesATamperedOne() throws Exception {
    freshUsers("alice", "bob", "carol");
    device("alice", "alice");
    device("bob", "bob");
    device("carol", "carol");
    assertThat(
            cli.redoubt(
                null,
                "--profile",
                "alice",
                "group",
                "create",
                "served " + UUID.randomUUID(),
                "--members",
                "bob,carol",
                "--json"))
        .as(cli::err)
        .isZero();
    UUID group = UUID.fromString(Http.JSON.readTree(cli.out()).path("id").asText());
    AccessToken token = Lab.signIn("alice");
    ProfileDevice alice = profileDevice("alice");
    AtomicLong entryRequests = new AtomicLong();
    LogReader counted = countingEntries(Lab.client().transparency(token), entryRequests);

    // The answer carries each device's issue entry, as the log serves it.
    ConversationRecipientsResponse answer = Lab.client().recipients(token, alice.identity(), group);
    List<DirectoryDevice> listed =
        answer.users().stream().flatMap(user -> user.devices().stream()).toList();
    assertThat(listed).hasSize(2);
    for (DirectoryDevice device : listed) {
      LogEntryResponse entry = device.issuedLogEntry();
      assertThat(entry).as(device.deviceId()).isNotNull();
      assertThat(entry.index()).isEqualTo(device.issuedLogIndex());
      assertThat(entry.kind()).isEqualTo("certificate-issued");
      assertThat(entry.deviceId()).isEqualTo(device.deviceId());
      assertThat(entry)
          .isEqualTo(
              Lab.client()
                  .transparency(token)
                  .entries(device.issuedLogIndex(), device.issuedLogIndex() + 1)
                  .get(0));
    }

    // The SDK verifies every recipient without asking the log for a single entry.
    String text = marker("served entries");
    Messenger.Sent sent =
        sdkMessenger("alice", token, alice, counted).send(token, group, OutgoingMessage.text(text));
    assertThat(sent.devices()).isEqualTo(2);
    assertThat(entryRequests).hasValue(0);
    JsonNode message = withText(receive("bob", 0), text);
    assertThat(message.path("verified").asBoolean()).as(message::toString).isTrue();

    // Each device's entry swapped for the other's: both genuine entries with genuine proofs, but
    // not of these certificates.
    ConversationRecipientsResponse fresh = Lab.client().recipients(token, alice.identity(), group);
    List<ConversationRecipientsResponse.RecipientUser> users = new ArrayList<>();
    List<LogEntryResponse> entries =
        fresh.users().stream()
            .flatMap(user -> user.devices().stream())
            .map(DirectoryDevice::issuedLogEntry)
            .toList();
    int k = 0;
    for (ConversationRecipientsResponse.RecipientUser user : fresh.users()) {
      List<DirectoryDevice> swapped = new ArrayList<>();
      for (DirectoryDevice d : user.devices()) {
        swapped.add(
            new DirectoryDevice(
                d.deviceId(),
                d.certificatePem(),
                d.issuedLogIndex(),
                d.inclusionProof(),
                d.prekey(),
                d.oneTime(),
                entries.get((k++ + 1) % entries.size())));
      }
      users.add(
          new ConversationRecipientsResponse.RecipientUser(
              user.userId(), user.username(), swapped));
    }
    ConversationRecipientsResponse tampered =
        new ConversationRecipientsResponse(fresh.conversationId(), fresh.treeHead(), users);
    assertThatThrownBy(
            () ->
                new RecipientCheck(sdkPeers(counted), Clock.systemUTC())
                    .verify(
                        MonitorState.start(Jwt.payload(token.value()).path("sub").asText(), null),
                        group,
                        alice.identity().deviceId(),
                        tampered,
                        sdkRevocations()))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageContaining("not in the transparency log");
    assertThat(entryRequests).hasValue(0);
  }

  /** {@code log}, counting the entry requests made through it. */
  private static LogReader countingEntries(LogReader log, AtomicLong requests) {
    return new LogReader() {
      @Override
      public TreeHeadResponse newestHead()
          throws IOException, InterruptedException, RedoubtApiException {
        return log.newestHead();
      }

      @Override
      public TreeHeadResponse headCovering(long index)
          throws IOException, InterruptedException, RedoubtApiException {
        return log.headCovering(index);
      }

      @Override
      public List<LogEntryResponse> entries(long start, long end)
          throws IOException, InterruptedException, RedoubtApiException {
        requests.incrementAndGet();
        return log.entries(start, end);
      }

      @Override
      public List<String> inclusionProof(long index, long treeSize)
          throws IOException, InterruptedException, RedoubtApiException {
        return log.inclusionProof(index, treeSize);
      }

      @Override
      public List<String> consistencyProof(long from, long to)
          throws IOException, InterruptedException, RedoubtApiException {
        return log.consistencyProof(from, to);
      }
    };
  }

  @Test
  void theSdkSendsOverItsSocketAndARefusalThereIsTheSameAsOverRest() throws Exception {
    UUID conversation = aliceAndBobInADirectConversationWithNothingWaiting();
    AccessToken token = Lab.signIn("alice");
    ProfileDevice alice = profileDevice("alice");
    Messenger messenger = sdkMessenger("alice", token, alice);
    String text = marker("over the socket");
    String refusedText = marker("kept too long");
    String afterText = marker("after the socket closed");

    Messenger.Sent sent;
    QueueSocket socket =
        QueueSocket.open(Lab.client(), Lab.SERVER, Lab.tls(), token, alice.identity());
    try {
      sent = messenger.send(token, conversation, OutgoingMessage.text(text), socket);
      assertThat(sent.transport()).isEqualTo(Messenger.SOCKET);
      assertThat(sent.accepted().messageId()).isEqualTo(sent.messageId().toString());
      assertThat(sent.accepted().recipients()).isEqualTo(1);

      OutgoingMessage tooLongLived =
          new OutgoingMessage(
              OutgoingMessage.TEXT,
              refusedText.getBytes(StandardCharsets.UTF_8),
              List.of(),
              false,
              Duration.ofDays(3650));
      assertThatThrownBy(() -> messenger.send(token, conversation, tooLongLived, socket))
          .isInstanceOfSatisfying(
              RedoubtApiException.class,
              refused -> {
                assertThat(refused.status()).isEqualTo(400);
                assertThat(refused.problemType())
                    .isEqualTo("urn:redoubt:problem:lifetime-not-allowed");
              });
      // A refused envelope costs the device nothing but that envelope.
      assertThat(socket.isOpen()).isTrue();
      assertThat(socket.unansweredSends()).isZero();
    } finally {
      socket.close();
    }
    // A closed socket is not used: the message goes over REST.
    assertThat(messenger.send(token, conversation, OutgoingMessage.text(afterText), socket))
        .extracting(Messenger.Sent::transport)
        .isEqualTo(Messenger.REST);

    JsonNode inbox = receive("bob", 0);
    JsonNode message = withText(inbox, text);
    assertThat(message.path("verified").asBoolean()).as(message::toString).isTrue();
    assertThat(message.path("sender").asText()).isEqualTo("alice");
    assertThat(message.path("messageId").asText()).isEqualTo(sent.messageId().toString());
    assertThat(withText(inbox, afterText).path("verified").asBoolean()).isTrue();
    assertThat(inbox.toString()).doesNotContain(refusedText);
    assertThat(inbox.path("messages")).hasSize(2);
  }

  @Test
  void theSdkResumesItsSocketWithoutARestTicketAndTheResumedSocketDelivers() throws Exception {
    aliceAndBobInADirectConversationWithNothingWaiting();
    AccessToken token = Lab.signIn("bob");
    ProfileDevice bob = profileDevice("bob");
    String text = marker("to the resumed socket");

    QueueSocket first =
        QueueSocket.open(Lab.client(), Lab.SERVER, Lab.tls(), token, bob.identity());
    assertThat(first.resumed()).isFalse();
    assertThat(first.canResume()).as("ready carries a resumption ticket").isTrue();
    first.close();
    QueueSocket resumed = first.reopen(token);
    try {
      assertThat(resumed.resumed()).isTrue();
      assertThat(first.canResume()).as("a ticket is used once").isFalse();
      send("alice", "--to", "bob", text);
      List<QueueItem> items = resumed.next(Duration.ofSeconds(30));
      Messenger.Inbox inbox = sdkMessenger("bob", token, bob).open(token, items);
      assertThat(inbox.messages())
          .singleElement()
          .satisfies(
              message -> {
                assertThat(message.verified()).as(message::problem).isTrue();
                assertThat(new String(message.content(), StandardCharsets.UTF_8)).isEqualTo(text);
              });
      resumed.acknowledge(inbox.processed());
    } finally {
      resumed.close();
    }
    // A fresh token goes the proved way: a resumed socket would end with the old token.
    QueueSocket proved = resumed.reopen(Lab.signIn("bob"));
    try {
      assertThat(proved.resumed()).isFalse();
      assertThat(proved.isOpen()).isTrue();
    } finally {
      proved.close();
    }
  }

  @Test
  void anSdkSocketThatOnlyWaitsOutlivesTheServersReadTimeoutAndStillDelivers() throws Exception {
    aliceAndBobInADirectConversationWithNothingWaiting();
    AccessToken token = Lab.signIn("bob");
    ProfileDevice bob = profileDevice("bob");
    String text = marker("after a quiet spell");

    QueueSocket socket =
        QueueSocket.open(Lab.client(), Lab.SERVER, Lab.tls(), token, bob.identity());
    try {
      // WildFly closes a connection silent for 90 s; the SDK's pings must keep this one.
      assertThat(socket.next(Duration.ofSeconds(100))).isEmpty();
      assertThat(socket.isOpen()).isTrue();
      send("alice", "--to", "bob", text);
      List<QueueItem> items = socket.next(Duration.ofSeconds(30));
      Messenger.Inbox inbox = sdkMessenger("bob", token, bob).open(token, items);
      assertThat(inbox.messages())
          .singleElement()
          .satisfies(
              message ->
                  assertThat(new String(message.content(), StandardCharsets.UTF_8))
                      .isEqualTo(text));
      socket.acknowledge(inbox.processed());
    } finally {
      socket.close();
    }
  }

  /**
   * Sends {@code file} from the profile's real device, uploaded through the SDK as a real sender
   * would, in a file message signed by a key nobody certified (see {@link #forge}).
   */
  private void forgeFile(String profile, UUID conversationId, String text, Path file)
      throws Exception {
    AccessToken token = Lab.signIn(profile);
    DeviceIdentity device = profileDevice(profile).identity();
    AttachmentDescriptor uploaded =
        new Attachments(Lab.SERVER, Lab.tls())
            .upload(
                file,
                "application/pdf",
                token,
                (method, path) -> device.proof(method, path, token));
    OutgoingMessage message = OutgoingMessage.files(text, List.of(uploaded), false, null);
    forgeEnvelope(
        token,
        device,
        conversationId,
        message.contentType(),
        message.content(),
        message.attachments());
  }

  /**
   * Fresh devices for alice and bob on their profiles and their direct conversation, whose first
   * message bob has read: what the SDK tests start from. Returns the conversation's id.
   */
  private UUID aliceAndBobInADirectConversationWithNothingWaiting() throws Exception {
    freshUsers("alice", "bob");
    device("alice", "alice");
    device("bob", "bob");
    UUID conversation =
        UUID.fromString(
            send("alice", "--to", "bob", marker("before")).path("conversationId").asText());
    receive("bob", 0);
    return conversation;
  }

  /** The device {@code profile} enrolled, with its keys as the CLI stored them. */
  private ProfileDevice profileDevice(String profile) throws Exception {
    UUID deviceId = UUID.fromString(deviceRecord(profile).getProperty("deviceId"));
    DeviceKeyStore keys =
        DeviceKeyStore.open(
            cli.home().resolve(profile + "/device-keys.bcfks"), Enrollments.PASSPHRASE);
    return new ProfileDevice(
        keys, new DeviceIdentity(deviceId, keys.identityKey(), Clock.systemUTC()));
  }

  private record ProfileDevice(DeviceKeyStore keys, DeviceIdentity identity) {}

  /**
   * The SDK's {@link Messenger} for {@code profile}'s device, built as an application would: the
   * organisation's pins from the server's info, a fresh transparency state for the user.
   */
  private Messenger sdkMessenger(String profile, AccessToken token, ProfileDevice device)
      throws Exception {
    return sdkMessenger(profile, token, device, Lab.client().transparency(token));
  }

  /**
   * As {@link #sdkMessenger(String, AccessToken, ProfileDevice)}, reading the log through {@code
   * log}.
   */
  private Messenger sdkMessenger(
      String profile, AccessToken token, ProfileDevice device, LogReader log) throws Exception {
    return new Messenger(
        Lab.client(),
        device.identity(),
        PrekeyVault.open(
            cli.home().resolve(profile + "/prekeys.vault"),
            device.keys(),
            device.identity().deviceId()),
        sdkPeers(log),
        sdkRevocations(),
        MonitorState.start(Jwt.payload(token.value()).path("sub").asText(), null),
        SeenMessages.inMemory(),
        Clock.systemUTC());
  }

  /** Peer verification as an application builds it: the pins from the server's info. */
  private static PeerDevices sdkPeers(LogReader log) throws Exception {
    OrganisationPins pins = OrganisationPins.fromInfo(Lab.client().info());
    return new PeerDevices(
        new DeviceVerifier(pins, log, Clock.systemUTC()),
        new LogMonitor(log, pins.logKey()),
        pins.logKey());
  }

  /** The CA's revocation list, verified with the pinned CA. */
  private static RevocationCheck.Verified sdkRevocations() throws Exception {
    OrganisationPins pins = OrganisationPins.fromInfo(Lab.client().info());
    return RevocationCheck.verify(
        Lab.client().revocationList(), pins.deviceCa(), Instant.now(), null);
  }

  private Properties deviceRecord(String profile) throws Exception {
    Properties record = new Properties();
    try (var in = Files.newBufferedReader(cli.home().resolve(profile + "/device.properties"))) {
      record.load(in);
    }
    return record;
  }

  /**
   * Sends {@code text} from the profile's real device (its key proves the request, so the server
   * stores it: it does not check envelope signatures, recipients do) in an envelope correctly
   * sealed to every recipient but signed by a key nobody certified.
   */
  private void forge(String profile, UUID conversationId, String text) throws Exception {
    AccessToken token = Lab.signIn(profile);
    DeviceIdentity device = profileDevice(profile).identity();
    forgeEnvelope(
        token,
        device,
        conversationId,
        "text/plain; charset=utf-8",
        text.getBytes(StandardCharsets.UTF_8),
        List.of());
  }

  /** Seals {@code content} to every recipient correctly, and signs it with an uncertified key. */
  private static void forgeEnvelope(
      AccessToken token,
      DeviceIdentity device,
      UUID conversationId,
      String contentType,
      byte[] content,
      List<UUID> attachments)
      throws Exception {
    List<EnvelopeSealer.Recipient> sealTo = new ArrayList<>();
    for (var user : Lab.client().recipients(token, device, conversationId).users()) {
      for (DirectoryDevice listed : user.devices()) {
        SignedPrekey prekey = listed.prekey().decode(UUID.fromString(listed.deviceId()));
        sealTo.add(
            new EnvelopeSealer.Recipient(
                prekey.deviceId(),
                prekey.prekeyId(),
                EcKeys.decodeSubjectPublicKeyInfo(prekey.publicKey())));
      }
    }
    var generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("secp384r1"), FipsModule.random());
    Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
    var envelope =
        EnvelopeSealer.seal(
            new EnvelopeHeader(
                EnvelopeHeader.VERSION,
                conversationId,
                UUID.randomUUID(),
                Jwt.payload(token.value()).path("sub").asText(),
                device.deviceId(),
                now,
                now.plusSeconds(600),
                false,
                contentType,
                attachments),
            content,
            sealTo,
            generator.generateKeyPair().getPrivate(),
            FipsModule.random());
    Lab.client().sendMessage(token, device, conversationId, EnvelopeMessage.of(envelope));
  }

  /** The CLI's exit statuses (docs/cli.adoc). */
  private static final class RedoubtExit {
    static final int UNVERIFIED = 4;
  }
}
