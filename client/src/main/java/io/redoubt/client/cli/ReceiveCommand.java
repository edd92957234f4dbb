package io.redoubt.client.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.redoubt.client.AccessToken;
import io.redoubt.client.messaging.Messenger;
import io.redoubt.client.messaging.ReceivedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code redoubt receive}: this device's waiting messages, opened and verified. */
@Command(
    name = "receive",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch this device's waiting messages, open them and verify each sender (certificate chain"
          + " to the pinned CA, revocation list, transparency log, the certificate naming the"
          + " sender, the signature). Prints sender, conversation, time and text; a message that"
          + " fails a check is printed with 'unverified: <why>' and exit status 4.",
      "What was printed is acknowledged, so the server deletes it; a message seen before is"
          + " dropped. Membership changes are printed too.",
      "--wait polls until something arrives or the time is up."
    })
final class ReceiveCommand implements Callable<Integer> {

  private static final Duration POLL = Duration.ofSeconds(1);

  @ParentCommand RedoubtCommand parent;
  @Spec CommandSpec spec;

  @Option(
      names = "--wait",
      paramLabel = "SECONDS",
      description = "Wait up to this long for a message when none is waiting (default 0).")
  long waitSeconds;

  @Option(
      names = "--passphrase-stdin",
      description = "Read the device passphrase from the first line of standard input.")
  boolean passphraseStdin;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Profile profile = parent.profile();
    Session session = Session.open(profile);
    AccessToken token = session.accessToken();
    DeviceSession device = DeviceSession.open(profile, passphraseStdin, token);
    Instant deadline = Instant.now().plusSeconds(Math.max(0, waitSeconds));
    Messenger.Inbox inbox;
    try {
      while (true) {
        inbox = device.messenger().receive(token);
        if (!inbox.processed().isEmpty() || !Instant.now().isBefore(deadline)) {
          break;
        }
        Thread.sleep(POLL.toMillis());
        token = session.accessToken();
      }
      print(inbox);
      device.messenger().acknowledge(token, inbox.processed());
    } finally {
      device.save();
    }
    boolean allVerified = inbox.messages().stream().allMatch(ReceivedMessage::verified);
    return allVerified ? 0 : RedoubtCommand.UNVERIFIED;
  }

  private void print(Messenger.Inbox inbox) throws Exception {
    var out = spec.commandLine().getOut();
    if (json) {
      List<Map<String, Object>> messages = new ArrayList<>();
      for (ReceivedMessage m : inbox.messages()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("seq", m.seq());
        row.put("messageId", string(m.messageId()));
        row.put("conversationId", string(m.conversationId()));
        row.put("sender", m.senderUsername());
        row.put("senderUserId", m.senderUserId());
        row.put("senderDeviceId", string(m.senderDeviceId()));
        row.put("sentAt", string(m.sentAt()));
        row.put("receivedAt", string(m.receivedAt()));
        row.put("expiresAt", string(m.expiresAt()));
        row.put("burnOnRead", m.burnOnRead());
        row.put("contentType", m.contentType());
        row.put("text", m.text());
        row.put("verified", m.verified());
        row.put("problem", m.problem());
        messages.add(row);
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("messages", messages);
      result.put("controls", inbox.controls().stream().map(Messenger.Control::message).toList());
      result.put("duplicates", inbox.duplicates());
      out.println(new ObjectMapper().writeValueAsString(result));
      return;
    }
    if (inbox.messages().isEmpty() && inbox.controls().isEmpty()) {
      out.println("No new messages.");
    }
    for (Messenger.Control control : inbox.controls()) {
      var c = control.message();
      out.printf(
          "%s  conversation %s%s: %s %s by %s%n",
          c.at(),
          c.conversationId(),
          c.conversationName() == null ? "" : " ('" + c.conversationName() + "')",
          c.type(),
          c.userIds() == null ? "" : String.join(", ", c.userIds()),
          c.byUserId());
    }
    for (ReceivedMessage m : inbox.messages()) {
      String sender =
          m.senderUsername() != null ? m.senderUsername() : String.valueOf(m.senderUserId());
      String body =
          m.text() != null
              ? m.text()
              : m.content() != null
                  ? "(" + m.contentType() + ", " + m.content().length + " bytes)"
                  : "";
      out.printf(
          "%s  %s  in %s: %s%s%n",
          m.sentAt() != null ? m.sentAt() : m.receivedAt(),
          sender,
          m.conversationId(),
          body,
          m.verified() ? "" : "  [unverified: " + m.problem() + "]");
    }
  }

  private static String string(Object value) {
    return value == null ? null : value.toString();
  }
}
