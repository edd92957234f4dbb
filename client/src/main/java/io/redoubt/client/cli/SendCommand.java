package io.redoubt.client.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.redoubt.client.AccessToken;
import io.redoubt.client.messaging.Conversations;
import io.redoubt.client.messaging.Messenger;
import io.redoubt.client.messaging.OutgoingMessage;
import io.redoubt.protocol.api.ConversationResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code redoubt send}: seal a message for every device of a conversation and send it. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Send a text message, end-to-end encrypted for every device of the conversation.",
      "--to one user uses your direct conversation with them (made if needed). --to several users"
          + " uses the newest group whose members are exactly you and them, or makes one named"
          + " after them. --conversation sends to an existing conversation by id.",
      "Every recipient device is verified first (certificate chain to the pinned CA, revocation"
          + " list, transparency log, prekey signature); if any fails nothing is sent (exit 4).",
      "The device passphrase comes from --passphrase-stdin, REDOUBT_PASSPHRASE or a prompt."
    })
final class SendCommand implements Callable<Integer> {

  @ParentCommand RedoubtCommand parent;
  @Spec CommandSpec spec;

  @ArgGroup(multiplicity = "1")
  Target target;

  static final class Target {
    @Option(
        names = "--to",
        split = ",",
        paramLabel = "USER",
        description = "Recipient username(s), comma-separated.")
    List<String> to;

    @Option(names = "--conversation", paramLabel = "ID", description = "A conversation id.")
    UUID conversation;
  }

  @Parameters(paramLabel = "TEXT", description = "The message text.")
  String text;

  @Option(
      names = "--lifetime",
      paramLabel = "SECONDS",
      description = "How long the server keeps it (default: the conversation's).")
  Long lifetimeSeconds;

  @Option(names = "--burn-on-read", description = "Recipients delete it once shown.")
  boolean burnOnRead;

  @Option(
      names = "--passphrase-stdin",
      description = "Read the device passphrase from the first line of standard input.")
  boolean passphraseStdin;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Profile profile = parent.profile();
    AccessToken token = Session.open(profile).accessToken();
    DeviceSession device = DeviceSession.open(profile, passphraseStdin, token);
    UUID conversationId = conversation(device, token);
    // Attachments (send --file) plug in here: encrypt and upload the file, then send its blob id
    // in the message's attachments with the key and digest in the content.
    OutgoingMessage message =
        new OutgoingMessage(
            OutgoingMessage.TEXT,
            text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            List.of(),
            burnOnRead,
            lifetimeSeconds == null ? null : Duration.ofSeconds(lifetimeSeconds));
    Messenger.Sent sent;
    try {
      sent = device.messenger().send(token, conversationId, message);
    } finally {
      device.save();
    }
    var out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("messageId", sent.messageId().toString());
      result.put("conversationId", conversationId.toString());
      result.put("devices", sent.devices());
      result.put("receivedAt", sent.accepted().receivedAt());
      result.put("expiresAt", sent.accepted().expiresAt());
      out.println(new ObjectMapper().writeValueAsString(result));
    } else {
      out.printf(
          "Sent message %s to %s, sealed for %d verified device(s); kept until %s.%n",
          sent.messageId(),
          describe(sent.conversation()),
          sent.devices(),
          sent.accepted().expiresAt());
    }
    return 0;
  }

  private UUID conversation(DeviceSession device, AccessToken token) throws Exception {
    if (target.conversation != null) {
      return target.conversation;
    }
    List<String> users =
        target.to.stream().map(String::trim).filter(u -> !u.isEmpty()).distinct().toList();
    if (users.isEmpty()) {
      throw new RedoubtCommand.UserFacingException("--to names nobody");
    }
    Conversations conversations = new Conversations(device.session().client());
    ConversationResponse conversation =
        users.size() == 1
            ? conversations.direct(token, users.get(0))
            : conversations.groupWith(token, device.messenger().state().userId(), users);
    return UUID.fromString(conversation.id());
  }

  static String describe(ConversationResponse conversation) {
    if ("group".equals(conversation.kind())) {
      return "group '" + conversation.name() + "' (" + conversation.id() + ")";
    }
    return "direct conversation " + conversation.id();
  }
}
