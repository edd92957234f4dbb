package io.redoubt.client.cli;

import io.redoubt.client.AccessToken;
import io.redoubt.client.Json;
import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.messaging.Attachments;
import io.redoubt.client.messaging.Conversations;
import io.redoubt.client.messaging.Messenger;
import io.redoubt.client.messaging.OutgoingMessage;
import io.redoubt.protocol.api.ConversationResponse;
import io.redoubt.protocol.attachments.AttachmentDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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
      "Send a text message or files, end-to-end encrypted for every device of the conversation.",
      "--to one user uses your direct conversation with them (made if needed). --to several users"
          + " uses the newest group whose members are exactly you and them, or makes one named"
          + " after them. --conversation sends to an existing conversation by id.",
      "Every recipient device is verified first (certificate chain to the pinned CA, revocation"
          + " list, transparency log, prekey signature); if any fails nothing is sent (exit 4).",
      "--file (repeatable) encrypts each file with a key of its own while uploading it (the file"
          + " is never read whole into memory); the keys travel inside the encrypted message, with"
          + " TEXT if given.",
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

  @Parameters(
      paramLabel = "TEXT",
      arity = "0..1",
      description = "The message text (optional with --file).")
  String text;

  @Option(
      names = "--file",
      paramLabel = "PATH",
      description = "A file to send (repeat for several); TEXT then goes beside it.")
  List<Path> files = new ArrayList<>();

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
    if (text == null && files.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Nothing to send: give TEXT, --file PATH, or both.");
    }
    // Before the passphrase and any request: a typo in a path fails at once.
    for (Path file : files) {
      readable(file);
    }
    Profile profile = parent.profile();
    Session session = Session.open(profile);
    AccessToken token = session.accessToken();
    DeviceSession device = DeviceSession.open(profile, passphraseStdin, token);
    UUID conversationId = conversation(device, token);
    Duration lifetime = lifetimeSeconds == null ? null : Duration.ofSeconds(lifetimeSeconds);
    List<AttachmentDescriptor> uploaded = new ArrayList<>();
    Messenger.Sent sent;
    try {
      for (Path file : files) {
        uploaded.add(upload(session.attachments(), file, token, device));
      }
      OutgoingMessage message =
          uploaded.isEmpty()
              ? new OutgoingMessage(
                  OutgoingMessage.TEXT,
                  text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                  List.of(),
                  burnOnRead,
                  lifetime)
              : OutgoingMessage.files(text, uploaded, burnOnRead, lifetime);
      sent = device.messenger().send(token, conversationId, message);
    } finally {
      // A file uploaded for a message that was not sent is deleted by the server after its grace.
      uploaded.forEach(AttachmentDescriptor::destroy);
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
      List<Map<String, Object>> sentFiles = new ArrayList<>();
      for (AttachmentDescriptor file : uploaded) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", file.filename());
        row.put("blobId", file.blobId().toString());
        row.put("size", file.size());
        row.put("mediaType", file.mediaType());
        sentFiles.add(row);
      }
      result.put("files", sentFiles);
      out.println(Json.WRITER.writeValueAsString(result));
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

  /** Fails with a line naming the fault when {@code file} cannot be sent as it is. */
  static void readable(Path file) throws RedoubtCommand.UserFacingException {
    if (!Files.exists(file)) {
      throw new RedoubtCommand.UserFacingException("cannot send " + file + ": no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new RedoubtCommand.UserFacingException(
          "cannot send " + file + ": not a regular file (a directory or a device)");
    }
    if (!Files.isReadable(file)) {
      throw new RedoubtCommand.UserFacingException(
          "cannot send " + file + ": not readable (permission denied)");
    }
  }

  /** Seals and uploads one file; the server's refusals become lines that name the file. */
  private static AttachmentDescriptor upload(
      Attachments attachments, Path file, AccessToken token, DeviceSession device)
      throws Exception {
    String mediaType = mediaType(file);
    long size = Files.size(file);
    try {
      return attachments.upload(file, mediaType, token, device.proofs(token));
    } catch (RedoubtApiException refused) {
      if (refused.status() == 413) {
        throw new RedoubtCommand.UserFacingException(
            "cannot send "
                + file
                + " ("
                + size
                + " bytes): too large for the server ("
                + refused.getMessage()
                + ")");
      }
      throw refused;
    } catch (java.nio.file.FileSystemException unreadable) {
      throw new RedoubtCommand.UserFacingException(
          "cannot send " + file + ": " + unreadable.getMessage());
    } catch (IOException cut) {
      // Over HTTP/1.1 the server's 413 can arrive as a reset while the body is still going out
      // (docs: messaging, "Upload, download and deletion"), so say that this may be the reason.
      throw new RedoubtCommand.UserFacingException(
          "the upload of "
              + file
              + " ("
              + size
              + " bytes) failed: "
              + cut.getMessage()
              + " (the server cuts off a file over its blob limit; is it too large?)");
    }
  }

  /** The file's media type as the platform guesses it, else {@code application/octet-stream}. */
  private static String mediaType(Path file) {
    try {
      String probed = Files.probeContentType(file);
      return probed == null ? "application/octet-stream" : probed;
    } catch (IOException cannotTell) {
      return "application/octet-stream";
    }
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
