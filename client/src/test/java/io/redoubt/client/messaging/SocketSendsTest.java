package io.redoubt.client.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.client.RedoubtApiException;
import io.redoubt.protocol.api.MessageAccepted;
import io.redoubt.protocol.api.SocketFrame;
import io.redoubt.protocol.api.SocketFrame.SocketProblem;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class SocketSendsTest {

  private final SocketSends sends = new SocketSends();

  private static SocketFrame accepted(String requestId, String messageId) {
    return new SocketFrame(
        "accepted",
        null,
        requestId,
        null,
        null,
        null,
        null,
        new MessageAccepted(messageId, "2026-11-30T00:00:00Z", "2026-12-01T00:00:00Z", 2),
        null);
  }

  private static SocketFrame error(String requestId, int status, String type, String detail) {
    return error(requestId, status, type, detail, null);
  }

  private static SocketFrame error(
      String requestId, int status, String type, String detail, Long retryAfter) {
    return new SocketFrame(
        "error",
        null,
        requestId,
        null,
        null,
        null,
        null,
        null,
        new SocketProblem(type, "HTTP " + status, status, detail, retryAfter));
  }

  @Test
  void answersAreMatchedByRequestIdWhateverTheirOrder() throws Exception {
    SocketSends.Pending first = sends.register();
    SocketSends.Pending second = sends.register();
    assertThat(first.requestId()).isNotEqualTo(second.requestId());

    assertThat(sends.answer(accepted(second.requestId(), "m2"))).isTrue();
    assertThat(first.answer()).isNotDone();
    assertThat(sends.answer(accepted(first.requestId(), "m1"))).isTrue();

    assertThat(first.answer().get().messageId()).isEqualTo("m1");
    assertThat(second.answer().get().messageId()).isEqualTo("m2");
    assertThat(sends.unansweredCount()).isZero();
  }

  @Test
  void anErrorFrameFailsTheSendWithTheProblemAsOverRest() {
    SocketSends.Pending pending = sends.register();
    sends.answer(
        error(
            pending.requestId(),
            400,
            "urn:redoubt:problem:lifetime-above-policy",
            "The lifetime is above the conversation's maximum."));

    assertThatThrownBy(() -> pending.answer().get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            RedoubtApiException.class,
            refused -> {
              assertThat(refused.status()).isEqualTo(400);
              assertThat(refused.problemType())
                  .isEqualTo("urn:redoubt:problem:lifetime-above-policy");
              assertThat(refused.getMessage()).contains("lifetime is above");
            });
  }

  @Test
  void aRateLimitedSendCarriesTheWaitTheServerAskedFor() {
    SocketSends.Pending limited = sends.register();
    SocketSends.Pending refused = sends.register();
    sends.answer(
        error(
            limited.requestId(),
            429,
            "urn:redoubt:problem:rate-limited",
            "Too many messages; try again in 7 s.",
            7L));
    sends.answer(error(refused.requestId(), 400, "urn:redoubt:problem:malformed-envelope", "?"));

    assertThatThrownBy(() -> limited.answer().get())
        .cause()
        .isInstanceOfSatisfying(
            RedoubtApiException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)));
    assertThatThrownBy(() -> refused.answer().get())
        .cause()
        .isInstanceOfSatisfying(
            RedoubtApiException.class, e -> assertThat(e.retryAfter()).isEmpty());
  }

  @Test
  void framesThatAnswerNoSendOfOursAreLeftToTheCaller() {
    SocketSends.Pending pending = sends.register();

    assertThat(sends.answer(error(null, 400, "urn:redoubt:problem:malformed-frame", "?")))
        .isFalse();
    assertThat(sends.answer(accepted("someone-elses", "m"))).isFalse();
    // An answer counts once: a repeat of it is not ours any more.
    assertThat(sends.answer(accepted(pending.requestId(), "m"))).isTrue();
    assertThat(sends.answer(accepted(pending.requestId(), "m"))).isFalse();
  }

  @Test
  void aCloseFailsEveryUnansweredSendAndEveryLaterOneWithAnIoException() {
    SocketSends.Pending unanswered = sends.register();
    SocketSends.Pending answered = sends.register();
    sends.answer(accepted(answered.requestId(), "m"));

    sends.closed("1008 access token expired");

    assertThat(answered.answer()).isCompleted();
    assertThatThrownBy(() -> unanswered.answer().get())
        .cause()
        .isInstanceOf(IOException.class)
        .hasMessageContaining("1008 access token expired");
    SocketSends.Pending later = sends.register();
    assertThat(later.answer()).isCompletedExceptionally();
    assertThatThrownBy(() -> later.answer().get()).cause().isInstanceOf(IOException.class);
    assertThat(sends.unansweredCount()).isZero();
  }

  @Test
  void aFailedWriteFailsOnlyThatSend() {
    SocketSends.Pending failed = sends.register();
    SocketSends.Pending other = sends.register();

    sends.fail(failed.requestId(), new IOException("broken pipe"));

    assertThat(failed.answer()).isCompletedExceptionally();
    assertThat(other.answer()).isNotDone();
    assertThat(sends.unansweredCount()).isEqualTo(1);
  }
}
