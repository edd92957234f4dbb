package io.redoubt.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.protocol.crypto.SealedContent;
import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.EnvelopeHeader;
import io.redoubt.protocol.envelope.RecipientEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EnvelopeRulesTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final UUID CONVERSATION = UUID.randomUUID();
  private static final UUID DEVICE = UUID.randomUUID();

  private final EnvelopeRules rules = new EnvelopeRules(MessagingSettingsTest.shipped());

  @Test
  void aWellFormedEnvelopePasses() {
    assertThatNoException()
        .isThrownBy(
            () ->
                rules.checkHeaderAndSize(
                    CONVERSATION,
                    envelope(NOW.plus(Duration.ofDays(7)), 100, List.of()),
                    "alice",
                    DEVICE.toString(),
                    NOW));
  }

  @Test
  void theHeaderMustNameTheRequestsConversationAndTheAuthenticatedDevice() {
    Envelope envelope = envelope(NOW.plusSeconds(60), 100, List.of());
    assertThatThrownBy(
            () ->
                rules.checkHeaderAndSize(
                    UUID.randomUUID(), envelope, "alice", DEVICE.toString(), NOW))
        .isInstanceOfSatisfying(
            EnvelopeRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(EnvelopeRejectedException.Reason.MALFORMED));
    assertThatThrownBy(
            () -> rules.checkHeaderAndSize(CONVERSATION, envelope, "bob", DEVICE.toString(), NOW))
        .isInstanceOfSatisfying(
            EnvelopeRejectedException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(EnvelopeRejectedException.Reason.SENDER_NOT_AUTHENTICATED_DEVICE));
    assertThatThrownBy(
            () ->
                rules.checkHeaderAndSize(
                    CONVERSATION, envelope, "alice", UUID.randomUUID().toString(), NOW))
        .isInstanceOfSatisfying(
            EnvelopeRejectedException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(EnvelopeRejectedException.Reason.SENDER_NOT_AUTHENTICATED_DEVICE));
  }

  @Test
  void lifetimeMustBeInTheFutureAndWithinPolicyPlusSkew() {
    for (Instant expiry :
        List.of(NOW, NOW.plus(Duration.ofDays(30)).plus(Duration.ofMinutes(5)).plusSeconds(1))) {
      assertThatThrownBy(
              () ->
                  rules.checkHeaderAndSize(
                      CONVERSATION,
                      envelope(expiry, 100, List.of()),
                      "alice",
                      DEVICE.toString(),
                      NOW))
          .isInstanceOfSatisfying(
              EnvelopeRejectedException.class,
              e -> assertThat(e.reason()).isEqualTo(EnvelopeRejectedException.Reason.LIFETIME));
    }
    assertThatNoException()
        .isThrownBy(
            () ->
                rules.checkHeaderAndSize(
                    CONVERSATION,
                    envelope(
                        NOW.plus(Duration.ofDays(30)).plus(Duration.ofMinutes(5)), 100, List.of()),
                    "alice",
                    DEVICE.toString(),
                    NOW));
  }

  @Test
  void contentAndAttachmentsAreBounded() {
    assertThatThrownBy(
            () ->
                rules.checkHeaderAndSize(
                    CONVERSATION,
                    envelope(NOW.plusSeconds(60), 65_537, List.of()),
                    "alice",
                    DEVICE.toString(),
                    NOW))
        .isInstanceOfSatisfying(
            EnvelopeRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(EnvelopeRejectedException.Reason.TOO_LARGE));
    List<UUID> eleven = Stream.generate(UUID::randomUUID).limit(11).toList();
    assertThatThrownBy(
            () ->
                rules.checkHeaderAndSize(
                    CONVERSATION,
                    envelope(NOW.plusSeconds(60), 100, eleven),
                    "alice",
                    DEVICE.toString(),
                    NOW))
        .isInstanceOfSatisfying(
            EnvelopeRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(EnvelopeRejectedException.Reason.TOO_LARGE));
  }

  @Test
  void recipientsMustBeExactlyTheExpectedDevices() throws Exception {
    UUID a = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    UUID b = UUID.fromString("00000000-0000-4000-8000-00000000000b");
    UUID c = UUID.fromString("00000000-0000-4000-8000-00000000000c");
    Envelope toAandB = withRecipients(a, b);

    assertThat(EnvelopeRules.checkRecipients(Set.of(b.toString(), a.toString()), toAandB))
        .containsExactly(a.toString(), b.toString());
    assertThatThrownBy(
            () -> EnvelopeRules.checkRecipients(Set.of(a.toString(), c.toString()), toAandB))
        .isInstanceOfSatisfying(
            RecipientMismatchException.class,
            e -> {
              assertThat(e.missingDevices()).containsExactly(c.toString());
              assertThat(e.unexpectedDevices()).containsExactly(b.toString());
            });
  }

  private static Envelope envelope(Instant expiresAt, int contentBytes, List<UUID> attachments) {
    EnvelopeHeader header =
        new EnvelopeHeader(
            1,
            CONVERSATION,
            UUID.randomUUID(),
            "alice",
            DEVICE,
            NOW,
            expiresAt,
            false,
            "text/plain",
            attachments);
    return new Envelope(
        header, new SealedContent(new byte[12], new byte[contentBytes]), List.of(), new byte[8]);
  }

  private static Envelope withRecipients(UUID... devices) {
    Envelope base = envelope(NOW.plusSeconds(60), 100, List.of());
    List<RecipientEntry> entries =
        Stream.of(devices).map(d -> new RecipientEntry(d, 1, new byte[97], new byte[48])).toList();
    return new Envelope(base.header(), base.content(), entries, base.signature());
  }
}
