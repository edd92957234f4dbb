package io.redoubt.protocol.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.protocol.TestVectors;
import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.crypto.SealedContent;
import io.redoubt.protocol.hpke.HpkeSuite;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnvelopeSealerTest {

  private static final byte[] TEXT = "meet at the north gate".getBytes(StandardCharsets.UTF_8);

  private static KeyPair sender;
  private static final Map<UUID, Device> DEVICES = new HashMap<>();

  /** A recipient device: its id and one prekey (id and pair). */
  record Device(UUID id, long prekeyId, KeyPair prekey) {
    EnvelopeSealer.Recipient recipient() {
      return new EnvelopeSealer.Recipient(id, prekeyId, (ECPublicKey) prekey.getPublic());
    }

    EnvelopeOpener.PrekeyLookup lookup() {
      return id -> id == prekeyId ? Optional.of(prekey) : Optional.empty();
    }
  }

  @BeforeAll
  static void keys() throws Exception {
    TestVectors.installFipsProvider();
    sender = p384();
    for (int i = 0; i < 3; i++) {
      Device device = new Device(UUID.randomUUID(), 10 + i, p384());
      DEVICES.put(device.id(), device);
    }
  }

  @Test
  void everyRecipientOpensAndTheSignatureVerifies() throws Exception {
    Envelope envelope = seal(header(), devices());

    for (Device device : devices()) {
      assertThat(EnvelopeOpener.open(envelope, device.id(), device.lookup())).isEqualTo(TEXT);
    }
    assertThat(EnvelopeOpener.verifySender(envelope, (ECPublicKey) sender.getPublic())).isTrue();
    assertThat(envelope.recipients())
        .extracting(RecipientEntry::deviceId)
        .isSortedAccordingTo(Envelope.RECIPIENT_ORDER);
  }

  @Test
  void oneEphemeralServesEveryRecipient() throws Exception {
    List<Device> many = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      many.add(new Device(UUID.randomUUID(), i, p384()));
    }
    Envelope envelope = seal(header(), many);

    assertThat(envelope.recipients()).hasSize(20);
    assertThat(
            envelope.recipients().stream()
                .map(e -> new String(e.enc(), StandardCharsets.ISO_8859_1))
                .distinct())
        .hasSize(1);
    assertThat(
            envelope.recipients().stream()
                .map(e -> new String(e.wrappedKey(), StandardCharsets.ISO_8859_1))
                .distinct())
        .hasSize(20);
    Device last = many.get(19);
    assertThat(EnvelopeOpener.open(envelope, last.id(), last.lookup())).isEqualTo(TEXT);
    // Two envelopes never share an ephemeral.
    assertThat(seal(header(), many).recipients().get(0).enc())
        .isNotEqualTo(envelope.recipients().get(0).enc());
  }

  static Stream<Arguments> headerChanges() {
    return Stream.of(
        change(
            "conversationId",
            h ->
                with(
                    h,
                    UUID.randomUUID(),
                    h.messageId(),
                    h.senderUserId(),
                    h.senderDeviceId(),
                    h.sentAt(),
                    h.expiresAt(),
                    h.burnOnRead(),
                    h.contentType(),
                    h.attachments())),
        change(
            "messageId",
            h ->
                with(
                    h,
                    h.conversationId(),
                    UUID.randomUUID(),
                    h.senderUserId(),
                    h.senderDeviceId(),
                    h.sentAt(),
                    h.expiresAt(),
                    h.burnOnRead(),
                    h.contentType(),
                    h.attachments())),
        change(
            "senderUserId",
            h ->
                with(
                    h,
                    h.conversationId(),
                    h.messageId(),
                    "mallory",
                    h.senderDeviceId(),
                    h.sentAt(),
                    h.expiresAt(),
                    h.burnOnRead(),
                    h.contentType(),
                    h.attachments())),
        change(
            "senderDeviceId",
            h ->
                with(
                    h,
                    h.conversationId(),
                    h.messageId(),
                    h.senderUserId(),
                    UUID.randomUUID(),
                    h.sentAt(),
                    h.expiresAt(),
                    h.burnOnRead(),
                    h.contentType(),
                    h.attachments())),
        change(
            "sentAt",
            h ->
                with(
                    h,
                    h.conversationId(),
                    h.messageId(),
                    h.senderUserId(),
                    h.senderDeviceId(),
                    h.sentAt().plusMillis(1),
                    h.expiresAt(),
                    h.burnOnRead(),
                    h.contentType(),
                    h.attachments())),
        change(
            "expiresAt",
            h ->
                with(
                    h,
                    h.conversationId(),
                    h.messageId(),
                    h.senderUserId(),
                    h.senderDeviceId(),
                    h.sentAt(),
                    h.expiresAt().plusSeconds(86400),
                    h.burnOnRead(),
                    h.contentType(),
                    h.attachments())),
        change(
            "burnOnRead",
            h ->
                with(
                    h,
                    h.conversationId(),
                    h.messageId(),
                    h.senderUserId(),
                    h.senderDeviceId(),
                    h.sentAt(),
                    h.expiresAt(),
                    !h.burnOnRead(),
                    h.contentType(),
                    h.attachments())),
        change(
            "contentType",
            h ->
                with(
                    h,
                    h.conversationId(),
                    h.messageId(),
                    h.senderUserId(),
                    h.senderDeviceId(),
                    h.sentAt(),
                    h.expiresAt(),
                    h.burnOnRead(),
                    "text/html",
                    h.attachments())),
        change(
            "attachments",
            h ->
                with(
                    h,
                    h.conversationId(),
                    h.messageId(),
                    h.senderUserId(),
                    h.senderDeviceId(),
                    h.sentAt(),
                    h.expiresAt(),
                    h.burnOnRead(),
                    h.contentType(),
                    List.of(UUID.randomUUID()))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headerChanges")
  void aChangedHeaderFieldNeitherOpensNorVerifies(
      String field, UnaryOperator<EnvelopeHeader> change) throws Exception {
    Envelope original = seal(header(), devices());
    Envelope tampered =
        new Envelope(
            change.apply(original.header()),
            original.content(),
            original.recipients(),
            original.signature());

    assertThat(EnvelopeOpener.verifySender(tampered, (ECPublicKey) sender.getPublic())).isFalse();
    for (Device device : devices()) {
      assertThatThrownBy(() -> EnvelopeOpener.open(tampered, device.id(), device.lookup()))
          .isInstanceOf(UnopenableEnvelopeException.class);
    }
  }

  @Test
  void alteredContentNeitherOpensNorVerifies() throws Exception {
    Envelope original = seal(header(), devices());
    byte[] ciphertext = original.content().ciphertext();
    ciphertext[3] ^= 0x01;
    Envelope tampered =
        new Envelope(
            original.header(),
            new SealedContent(original.content().nonce(), ciphertext),
            original.recipients(),
            original.signature());

    assertThat(EnvelopeOpener.verifySender(tampered, (ECPublicKey) sender.getPublic())).isFalse();
    Device device = devices().get(0);
    assertThatThrownBy(() -> EnvelopeOpener.open(tampered, device.id(), device.lookup()))
        .isInstanceOf(UnopenableEnvelopeException.class)
        .hasMessageContaining("content");
  }

  static Stream<Arguments> entryChanges() {
    return Stream.of(
        entryChange(
            "enc",
            e -> new RecipientEntry(e.deviceId(), e.prekeyId(), flip(e.enc(), 20), e.wrappedKey())),
        entryChange(
            "wrappedKey",
            e -> new RecipientEntry(e.deviceId(), e.prekeyId(), e.enc(), flip(e.wrappedKey(), 0))),
        entryChange(
            "prekeyId",
            e -> new RecipientEntry(e.deviceId(), e.prekeyId() + 1, e.enc(), e.wrappedKey())));
  }

  @ParameterizedTest(name = "{0} of each entry")
  @MethodSource("entryChanges")
  void aChangedEntryFailsTheSignatureAndItsDevice(
      String field, UnaryOperator<RecipientEntry> change) throws Exception {
    Envelope original = seal(header(), devices());
    for (int i = 0; i < original.recipients().size(); i++) {
      List<RecipientEntry> entries = new ArrayList<>(original.recipients());
      entries.set(i, change.apply(entries.get(i)));
      Envelope tampered =
          new Envelope(original.header(), original.content(), entries, original.signature());
      Device victim = DEVICES.get(entries.get(i).deviceId());
      // The victim's lookup answers any id with its real prekey, so only the binding can fail.
      EnvelopeOpener.PrekeyLookup anyId = id -> Optional.of(victim.prekey());

      assertThat(EnvelopeOpener.verifySender(tampered, (ECPublicKey) sender.getPublic()))
          .as("signature with entry %d changed", i)
          .isFalse();
      assertThatThrownBy(() -> EnvelopeOpener.open(tampered, victim.id(), anyId))
          .isInstanceOf(UnopenableEnvelopeException.class);
    }
  }

  @Test
  void anEntryRelabelledForAnotherDeviceDoesNotOpenThere() throws Exception {
    List<Device> devices = devices();
    Envelope original = seal(header(), devices.subList(0, 2));
    Device outsider = devices.get(2);
    RecipientEntry stolen = original.recipients().get(0);
    List<RecipientEntry> entries = new ArrayList<>(original.recipients());
    entries.add(
        new RecipientEntry(outsider.id(), outsider.prekeyId(), stolen.enc(), stolen.wrappedKey()));
    entries.sort(
        java.util.Comparator.comparing(RecipientEntry::deviceId, Envelope.RECIPIENT_ORDER));
    Envelope tampered =
        new Envelope(original.header(), original.content(), entries, original.signature());

    assertThatThrownBy(() -> EnvelopeOpener.open(tampered, outsider.id(), outsider.lookup()))
        .isInstanceOf(UnopenableEnvelopeException.class);
    assertThat(EnvelopeOpener.verifySender(tampered, (ECPublicKey) sender.getPublic())).isFalse();
  }

  @Test
  void aBadSignatureIsReportedAndAnotherSendersKeyDoesNotVerify() throws Exception {
    Envelope original = seal(header(), devices());
    Envelope forged =
        new Envelope(
            original.header(),
            original.content(),
            original.recipients(),
            flip(original.signature(), original.signature().length - 1));

    assertThat(EnvelopeOpener.verifySender(forged, (ECPublicKey) sender.getPublic())).isFalse();
    assertThat(EnvelopeOpener.verifySender(original, (ECPublicKey) p384().getPublic())).isFalse();
  }

  @Test
  void recipientsOutOfOrderAreRefused() throws Exception {
    Envelope original = seal(header(), devices());
    List<RecipientEntry> reversed = new ArrayList<>(original.recipients());
    java.util.Collections.reverse(reversed);

    assertThatThrownBy(
            () ->
                new Envelope(original.header(), original.content(), reversed, original.signature()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEntryMovedFromAnotherEnvelopeDoesNotOpen() throws Exception {
    Device device = devices().get(0);
    Envelope first = seal(header(), List.of(device));
    Envelope second = seal(header(), List.of(device));
    Envelope spliced =
        new Envelope(first.header(), first.content(), second.recipients(), first.signature());

    assertThatThrownBy(() -> EnvelopeOpener.open(spliced, device.id(), device.lookup()))
        .isInstanceOf(UnopenableEnvelopeException.class);
    // And the whole second body under the first header (content moved with its key) fails too.
    Envelope moved =
        new Envelope(first.header(), second.content(), second.recipients(), second.signature());
    assertThatThrownBy(() -> EnvelopeOpener.open(moved, device.id(), device.lookup()))
        .isInstanceOf(UnopenableEnvelopeException.class);
    assertThat(EnvelopeOpener.verifySender(moved, (ECPublicKey) sender.getPublic())).isFalse();
  }

  @Test
  void theWrongPrekeyDoesNotOpen() throws Exception {
    Device device = devices().get(0);
    Envelope envelope = seal(header(), devices());
    KeyPair other = p384();

    assertThatThrownBy(() -> EnvelopeOpener.open(envelope, device.id(), id -> Optional.of(other)))
        .isInstanceOf(UnopenableEnvelopeException.class)
        .hasMessageContaining("does not open");
    assertThatThrownBy(() -> EnvelopeOpener.open(envelope, device.id(), id -> Optional.empty()))
        .isInstanceOf(UnopenableEnvelopeException.class)
        .hasMessageContaining("no longer holds prekey " + device.prekeyId());
  }

  @Test
  void aDeviceThatIsNotARecipientCannotOpen() throws Exception {
    List<Device> devices = devices();
    Envelope envelope = seal(header(), devices.subList(0, 2));
    Device outsider = devices.get(2);

    assertThatThrownBy(() -> EnvelopeOpener.open(envelope, outsider.id(), outsider.lookup()))
        .isInstanceOf(UnopenableEnvelopeException.class)
        .hasMessageContaining("not a recipient");
    // Even holding every entry, its own prekey opens none of them.
    for (RecipientEntry entry : envelope.recipients()) {
      assertThatThrownBy(() -> EnvelopeOpener.open(envelope, entry.deviceId(), outsider.lookup()))
          .isInstanceOf(UnopenableEnvelopeException.class);
    }
  }

  @Test
  void aDeviceListedTwiceOrNoRecipientIsRefused() throws Exception {
    Device device = devices().get(0);

    assertThatThrownBy(() -> seal(header(), List.of(device, device)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> seal(header(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aStoredPrivateKeyRegainsItsPublicHalf() throws Exception {
    KeyPair pair = p384();

    KeyPair rebuilt = HpkeSuite.PROTOCOL.kem().keyPairOf((ECPrivateKey) pair.getPrivate());

    assertThat(rebuilt.getPublic().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
  }

  private static Envelope seal(EnvelopeHeader header, List<Device> devices) throws Exception {
    return EnvelopeSealer.seal(
        header,
        TEXT,
        devices.stream().map(Device::recipient).toList(),
        sender.getPrivate(),
        random());
  }

  private static List<Device> devices() {
    return new ArrayList<>(DEVICES.values());
  }

  private static EnvelopeHeader header() {
    Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
    return new EnvelopeHeader(
        EnvelopeHeader.VERSION,
        UUID.randomUUID(),
        UUID.randomUUID(),
        "alice-subject",
        UUID.randomUUID(),
        now,
        now.plusSeconds(3600),
        false,
        "text/plain; charset=utf-8",
        List.of());
  }

  private static EnvelopeHeader with(
      EnvelopeHeader h,
      UUID conversationId,
      UUID messageId,
      String senderUserId,
      UUID senderDeviceId,
      Instant sentAt,
      Instant expiresAt,
      boolean burnOnRead,
      String contentType,
      List<UUID> attachments) {
    return new EnvelopeHeader(
        h.version(),
        conversationId,
        messageId,
        senderUserId,
        senderDeviceId,
        sentAt,
        expiresAt,
        burnOnRead,
        contentType,
        attachments);
  }

  private static Arguments change(String field, UnaryOperator<EnvelopeHeader> change) {
    return Arguments.of(field, change);
  }

  private static Arguments entryChange(String field, UnaryOperator<RecipientEntry> change) {
    return Arguments.of(field, change);
  }

  private static byte[] flip(byte[] bytes, int index) {
    byte[] copy = bytes.clone();
    copy[index] ^= 0x01;
    return copy;
  }

  private static SecureRandom random() {
    return FipsModule.random();
  }

  private static KeyPair p384() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("secp384r1"), random());
    return generator.generateKeyPair();
  }
}
