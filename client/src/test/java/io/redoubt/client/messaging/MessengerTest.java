package io.redoubt.client.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.client.AccessToken;
import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.RedoubtClient;
import io.redoubt.client.device.DeviceIdentity;
import io.redoubt.client.directory.DeviceRejectedException;
import io.redoubt.client.transparency.MonitorState;
import io.redoubt.protocol.api.ConversationRecipientsResponse;
import io.redoubt.protocol.api.ConversationRecipientsResponse.RecipientUser;
import io.redoubt.protocol.api.DirectoryResponse;
import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.EnvelopeHeader;
import io.redoubt.protocol.envelope.EnvelopeSealer;
import io.redoubt.protocol.prekeys.SignedPrekey;
import java.nio.file.Path;
import java.security.Security;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sending and receiving through the SDK against an in-memory server and log: what reaches every
 * device verified and once, and each way the server (or anyone) could slip in a device or a message
 * that this client must refuse or flag.
 */
class MessengerTest {

  private static final UUID CONVERSATION = UUID.randomUUID();
  private static final AccessToken TOKEN =
      new AccessToken(FakeMessagingServer.TOKEN, Instant.now().plusSeconds(3600));

  @TempDir Path directory;
  private TestOrganisation org;
  private FakeMessagingServer server;
  private TestOrganisation.Device alice1;
  private TestOrganisation.Device alice2;
  private TestOrganisation.Device bob1;
  private TestOrganisation.Device bob2;

  @BeforeAll
  static void fips() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.insertProviderAt(new BouncyCastleFipsProvider(), 1);
    }
  }

  @BeforeEach
  void aliceAndBobWithTwoDevicesEach() throws Exception {
    org = new TestOrganisation(directory);
    server = new FakeMessagingServer();
    alice1 = register(org.device("alice-id", "alice"));
    alice2 = register(org.device("alice-id", "alice"));
    bob1 = register(org.device("bob-id", "bob"));
    bob2 = register(org.device("bob-id", "bob"));
    server.recipients.put(alice1.deviceId, () -> answer(user(alice2), user(bob1, bob2)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aMessageReachesEveryOtherDeviceVerifiedAndOnce() throws Exception {
    Messenger.Sent sent = messenger(alice1).send(TOKEN, CONVERSATION, OutgoingMessage.text("hi"));

    assertThat(sent.devices()).isEqualTo(3);
    assertThat(sent.messageId().version()).isEqualTo(7);
    EnvelopeMessage envelope = server.posted.get(0);
    assertThat(envelope.recipients())
        .extracting(EnvelopeMessage.Recipient::enc)
        .containsOnly(envelope.recipients().get(0).enc());
    for (TestOrganisation.Device device : List.of(alice2, bob1, bob2)) {
      server.deliver(device.deviceId, envelope);
    }
    server.deliver(bob1.deviceId, envelope); // at least once: a redelivery

    long oneTimeUsed = entryFor(envelope, bob1).prekeyId();
    assertThat(bob1.vault.isOneTime(oneTimeUsed)).isTrue();
    Messenger bob = messenger(bob1);
    Messenger.Inbox inbox = bob.receive(TOKEN);

    assertThat(inbox.messages()).hasSize(1);
    ReceivedMessage message = inbox.messages().get(0);
    assertThat(message.verified()).as(message.problem()).isTrue();
    assertThat(message.text()).isEqualTo("hi");
    assertThat(message.senderUsername()).isEqualTo("alice");
    assertThat(message.conversationId()).isEqualTo(CONVERSATION);
    assertThat(inbox.duplicates()).isEqualTo(1);
    assertThat(inbox.processed()).hasSize(2);
    assertThat(bob1.vault.keyPair(oneTimeUsed)).as("the one-time prekey is destroyed").isEmpty();

    bob.acknowledge(TOKEN, inbox.processed());
    assertThat(server.queues.get(bob1.deviceId)).isEmpty();
    // Alice's own second device keeps a copy, verified like anyone's.
    ReceivedMessage own = messenger(alice2).receive(TOKEN).messages().get(0);
    assertThat(own.verified()).as(own.problem()).isTrue();
    assertThat(own.text()).isEqualTo("hi");
    assertThat(server.badProofs.get()).isZero();
  }

  @Test
  void aRecipientDeviceNobodyLoggedIsRefusedAndNothingIsSent() throws Exception {
    TestOrganisation.Device rogue = register(org.unloggedDevice("bob-id", "bob"));
    server.recipients.put(alice1.deviceId, () -> answer(user(bob1, rogue)));

    assertThatThrownBy(
            () -> messenger(alice1).send(TOKEN, CONVERSATION, OutgoingMessage.text("hi")))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageContaining(rogue.deviceId.toString())
        .hasMessageContaining("not in the transparency log");
    assertThat(server.posted).isEmpty();
  }

  @Test
  void aRevokedRecipientIsRefusedThoughTheServerStillListsIt() throws Exception {
    org.revokedSerials.add(bob2.certificate.getSerialNumber());

    assertThatThrownBy(
            () -> messenger(alice1).send(TOKEN, CONVERSATION, OutgoingMessage.text("hi")))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageContaining("revoked");
    assertThat(server.posted).isEmpty();
  }

  @Test
  void recipientsAreVerifiedWithTheLogEntriesTheAnswerCarriesWithoutAskingTheLog()
      throws Exception {
    int before = org.log.entryRequests();

    messenger(alice1).send(TOKEN, CONVERSATION, OutgoingMessage.text("hi"));

    assertThat(server.posted).hasSize(1);
    assertThat(org.log.entryRequests()).isEqualTo(before);
  }

  @Test
  void aRecipientRevokedAfterItsCertificateWasValidatedIsRefused() throws Exception {
    messenger(alice1).send(TOKEN, CONVERSATION, OutgoingMessage.text("first"));
    org.revokedSerials.add(bob2.certificate.getSerialNumber());

    // The certificate's validation is remembered for the process; the revocation list is not.
    assertThatThrownBy(
            () -> messenger(alice1).send(TOKEN, CONVERSATION, OutgoingMessage.text("second")))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageContaining(bob2.deviceId.toString())
        .hasMessageContaining("revoked");
    assertThat(server.posted).hasSize(1);
  }

  @Test
  void aPrekeyTheDeviceDidNotSignIsRefused() throws Exception {
    // The server substitutes a prekey signed by some other key for bob1's.
    TestOrganisation.Device mallory = org.device("mallory-id", "mallory");
    SignedPrekey forged =
        SignedPrekey.sign(
            bob1.deviceId,
            99,
            (ECPublicKey) TestOrganisation.p384().getPublic(),
            Instant.now().plusSeconds(3600),
            mallory.keys.identityKey());
    bob1.oneTime.clear();
    bob1.oneTime.add(forged);
    server.recipients.put(alice1.deviceId, () -> answer(user(bob1)));

    assertThatThrownBy(
            () -> messenger(alice1).send(TOKEN, CONVERSATION, OutgoingMessage.text("hi")))
        .isInstanceOf(DeviceRejectedException.class)
        .hasMessageContaining("prekey");
    assertThat(server.posted).isEmpty();
  }

  @Test
  void aSendTheServerAsksToRepeatShortlyIsRepeatedUnderTheSameIdAfterTheWait() throws Exception {
    server.rateLimitsLeft.set(1);
    long started = System.nanoTime();

    Messenger.Sent sent = messenger(alice1).send(TOKEN, CONVERSATION, OutgoingMessage.text("hi"));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(1));
    assertThat(server.recipientCalls.get()).as("sealed once").isEqualTo(1);
    assertThat(server.posted)
        .hasSize(2)
        .extracting(e -> e.header().messageId())
        .containsOnly(sent.messageId().toString());
  }

  @Test
  void aSendTheServerAsksToRepeatMuchLaterOrTooOftenFailsWithItsRetryAfter() throws Exception {
    server.rateLimitsLeft.set(1);
    server.retryAfter = "3600";

    assertThatThrownBy(
            () -> messenger(alice1).send(TOKEN, CONVERSATION, OutgoingMessage.text("hi")))
        .isInstanceOfSatisfying(
            RedoubtApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.retryAfter()).contains(Duration.ofHours(1));
            });
    assertThat(server.posted).hasSize(1);

    server.rateLimitsLeft.set(Messenger.LATER_ATTEMPTS);
    server.retryAfter = "0";
    assertThatThrownBy(
            () -> messenger(alice1).send(TOKEN, CONVERSATION, OutgoingMessage.text("hi")))
        .isInstanceOf(RedoubtApiException.class);
    assertThat(server.posted).hasSize(1 + Messenger.LATER_ATTEMPTS);
  }

  @Test
  void aChangedRecipientSetIsFetchedAgainAndSealedUnderTheSameId() throws Exception {
    server.refusalsLeft.set(1);

    Messenger.Sent sent = messenger(alice1).send(TOKEN, CONVERSATION, OutgoingMessage.text("hi"));

    assertThat(server.recipientCalls.get()).isEqualTo(2);
    assertThat(server.posted).hasSize(2);
    assertThat(server.posted)
        .extracting(e -> e.header().messageId())
        .containsOnly(sent.messageId().toString());
  }

  @Test
  void aForgedSignatureIsShownUnverified() throws Exception {
    // Sealed correctly to bob1, but signed by a key that is not alice1's certified one.
    Envelope forged =
        EnvelopeSealer.seal(
            header(alice1),
            "pay mallory".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            List.of(recipient(bob1)),
            TestOrganisation.p384().getPrivate(),
            FipsModule.random());
    server.deliver(bob1.deviceId, EnvelopeMessage.of(forged));

    ReceivedMessage message = messenger(bob1).receive(TOKEN).messages().get(0);

    assertThat(message.verified()).isFalse();
    assertThat(message.problem()).contains("signature is not by the certified key");
  }

  @Test
  void aSenderWithARogueCertificateOutsideTheLogIsShownUnverified() throws Exception {
    // The CA (or whoever holds its key) issued a certificate for "alice" that nobody logged.
    TestOrganisation.Device rogue = register(org.unloggedDevice("alice-id", "alice"));
    Envelope envelope =
        EnvelopeSealer.seal(
            header(rogue),
            "it's me, alice".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            List.of(recipient(bob1)),
            rogue.keys.identityKey(),
            FipsModule.random());
    server.deliver(bob1.deviceId, EnvelopeMessage.of(envelope));

    ReceivedMessage message = messenger(bob1).receive(TOKEN).messages().get(0);

    assertThat(message.verified()).isFalse();
    assertThat(message.problem()).contains("not in the transparency log");
    assertThat(message.text()).isEqualTo("it's me, alice");
  }

  @Test
  void aDeviceThatIsNotARecipientReportsWhyItCannotOpen() throws Exception {
    messenger(alice1).send(TOKEN, CONVERSATION, OutgoingMessage.text("hi"));
    TestOrganisation.Device carol = register(org.device("carol-id", "carol"));
    server.deliver(carol.deviceId, server.posted.get(0));

    ReceivedMessage message = messenger(carol).receive(TOKEN).messages().get(0);

    assertThat(message.verified()).isFalse();
    assertThat(message.content()).isNull();
    assertThat(message.problem()).contains("not a recipient");
  }

  private TestOrganisation.Device register(TestOrganisation.Device device) throws Exception {
    server.deviceKeys.put(device.deviceId, (ECPublicKey) device.keys.chain()[0].getPublicKey());
    server.directory.put(device.deviceId, device.lookup());
    return device;
  }

  private Messenger messenger(TestOrganisation.Device device) throws Exception {
    Clock clock = Clock.systemUTC();
    return new Messenger(
        new RedoubtClient(server.uri(), SSLContext.getDefault()),
        new DeviceIdentity(device.deviceId, device.keys.identityKey(), clock),
        device.vault,
        org.peers(),
        org.revocations(),
        MonitorState.start(device.userId, null),
        SeenMessages.inMemory(),
        clock);
  }

  private ConversationRecipientsResponse answer(RecipientUser... users) {
    return new ConversationRecipientsResponse(
        CONVERSATION.toString(), org.log.newestHead(), List.of(users));
  }

  private RecipientUser user(TestOrganisation.Device... devices) throws Exception {
    List<DirectoryResponse.DirectoryDevice> listed = new ArrayList<>();
    for (TestOrganisation.Device device : devices) {
      listed.add(device.listed(true));
    }
    return new RecipientUser(devices[0].userId, devices[0].username, listed);
  }

  private static EnvelopeMessage.Recipient entryFor(
      EnvelopeMessage envelope, TestOrganisation.Device device) {
    return envelope.recipients().stream()
        .filter(r -> r.deviceId().equals(device.deviceId.toString()))
        .findFirst()
        .orElseThrow();
  }

  private static EnvelopeSealer.Recipient recipient(TestOrganisation.Device device)
      throws Exception {
    return new EnvelopeSealer.Recipient(
        device.deviceId,
        device.signedPrekey.prekeyId(),
        io.redoubt.protocol.crypto.EcKeys.decodeSubjectPublicKeyInfo(
            device.signedPrekey.publicKey()));
  }

  private static EnvelopeHeader header(TestOrganisation.Device sender) {
    Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
    return new EnvelopeHeader(
        EnvelopeHeader.VERSION,
        CONVERSATION,
        UUID.randomUUID(),
        sender.userId,
        sender.deviceId,
        now,
        now.plusSeconds(3600),
        false,
        OutgoingMessage.TEXT,
        List.of());
  }
}
