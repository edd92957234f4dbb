package io.redoubt.client.cli;

import io.redoubt.client.AccessToken;
import io.redoubt.client.Json;
import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.messaging.AttachmentNames;
import io.redoubt.client.messaging.Attachments;
import io.redoubt.client.messaging.Messenger;
import io.redoubt.client.messaging.QueueSocket;
import io.redoubt.client.messaging.ReceivedMessage;
import io.redoubt.protocol.api.QueueItem;
import io.redoubt.protocol.attachments.AttachmentDescriptor;
import io.redoubt.protocol.attachments.AttachmentIntegrityException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
      "Files of verified messages are downloaded, decrypted and checked, then saved under their"
          + " sender's name made safe (never replacing a file) in --save-dir, by default the"
          + " profile's private 'attachments' directory; the path of each is printed. Files of"
          + " unverified messages are not saved unless --save-unverified is given.",
      "What was printed is acknowledged, so the server deletes it; a message seen before is"
          + " dropped. Membership changes are printed too.",
      "--wait waits on the server's socket until something arrives or the time is up, and polls"
          + " once a second when the socket cannot be opened."
    })
final class ReceiveCommand implements Callable<Integer> {

  private static final Duration POLL = Duration.ofSeconds(1);

  /** The default save directory, inside the profile. */
  static final String ATTACHMENTS = "attachments";

  @ParentCommand RedoubtCommand parent;
  @Spec CommandSpec spec;

  @Option(
      names = "--wait",
      paramLabel = "SECONDS",
      description = "Wait up to this long for a message when none is waiting (default 0).")
  long waitSeconds;

  @Option(
      names = "--save-dir",
      paramLabel = "DIR",
      description =
          "Where files are saved (made if missing; default: the profile's 'attachments'"
              + " directory, private to you).")
  Path saveDir;

  @Option(
      names = "--save-unverified",
      description =
          "Also save the files of messages whose sender could not be verified (they are marked"
              + " so; exit status stays 4).")
  boolean saveUnverified;

  @Option(
      names = "--passphrase-stdin",
      description = "Read the device passphrase from the first line of standard input.")
  boolean passphraseStdin;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  /** One file of a message: where it was saved, or why not. */
  record SavedFile(
      String sentName,
      long size,
      String mediaType,
      Path path,
      String problem,
      boolean rejected,
      boolean retry) {

    static SavedFile saved(AttachmentDescriptor file, Path path) {
      return new SavedFile(
          file.filename(), file.size(), file.mediaType(), path, null, false, false);
    }

    static SavedFile notSaved(
        AttachmentDescriptor file, String problem, boolean rejected, boolean retry) {
      return new SavedFile(
          file.filename(), file.size(), file.mediaType(), null, problem, rejected, retry);
    }
  }

  /** What was done with the files of each message, by queue sequence number. */
  private final Map<Long, List<SavedFile>> files = new HashMap<>();

  /** Messages whose files could not be saved for a reason that may pass: not acknowledged. */
  private final List<Long> retryLater = new ArrayList<>();

  /** The socket waited on, if any; acknowledgements go back over it. */
  private QueueSocket socket;

  @Override
  public Integer call() throws Exception {
    Profile profile = parent.profile();
    // Before the passphrase and any request: a wrong --save-dir fails at once.
    Path directory = saveDirectory(profile);
    Session session = Session.open(profile);
    AccessToken token = session.accessToken();
    DeviceSession device = DeviceSession.open(profile, passphraseStdin, token);
    Instant deadline = Instant.now().plusSeconds(Math.max(0, waitSeconds));
    Messenger.Inbox inbox;
    String delivery = "rest";
    try {
      // The backlog over REST first (complete and paged); the socket only to wait for news.
      inbox = device.messenger().receive(token);
      if (inbox.processed().isEmpty() && Instant.now().isBefore(deadline)) {
        socket = openSocket(session, device, token);
        if (socket != null) {
          inbox = waitOnSocket(session, device, deadline);
          // Null when the server closed it and polling took over.
          delivery = socket != null ? "socket" : "rest";
        } else {
          inbox = poll(session, device, deadline);
        }
      }
      token = session.accessToken();
      saveFiles(inbox, device, session.attachments(), token, directory);
      print(inbox, delivery);
      List<Long> handled =
          inbox.processed().stream().filter(seq -> !retryLater.contains(seq)).toList();
      if (socket != null && socket.isOpen()) {
        socket.acknowledge(handled);
      } else {
        device.messenger().acknowledge(token, handled);
      }
    } finally {
      if (socket != null) {
        socket.close();
      }
      device.save();
    }
    boolean allVerified = inbox.messages().stream().allMatch(ReceivedMessage::verified);
    boolean anyRejected =
        files.values().stream().flatMap(List::stream).anyMatch(SavedFile::rejected);
    if (!allVerified || anyRejected) {
      return RedoubtCommand.UNVERIFIED;
    }
    boolean anyNotSaved =
        files.values().stream().flatMap(List::stream).anyMatch(f -> f.path() == null);
    return anyNotSaved ? RedoubtCommand.FAILED : 0;
  }

  /** {@code --save-dir}, or the profile's own; made (owner-only) if missing. */
  private Path saveDirectory(Profile profile)
      throws IOException, RedoubtCommand.UserFacingException {
    Path directory =
        saveDir != null ? saveDir.toAbsolutePath() : profile.directory().resolve(ATTACHMENTS);
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new RedoubtCommand.UserFacingException(
          "cannot save files in " + directory + ": not a directory");
    }
    return directory;
  }

  /** The socket, or null (said on standard error) when it cannot be opened. */
  private QueueSocket openSocket(Session session, DeviceSession device, AccessToken token) {
    return socketOrNull(
        () ->
            QueueSocket.open(
                session.client(),
                session.settings().server(),
                session.tls(),
                token,
                device.identity()));
  }

  private QueueSocket socketOrNull(Callable<QueueSocket> opener) {
    try {
      return opener.call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      err()
          .println(
              "redoubt: the server's socket could not be opened ("
                  + e.getMessage()
                  + "); polling every second instead");
      return null;
    }
  }

  /**
   * Waits on the socket for the first items until {@code deadline}. A socket that closes meanwhile
   * is opened again: resumed while its token lasts, with a fresh token and a REST ticket once the
   * server closed it for the token's expiry; if that fails, polling takes over for the rest.
   */
  private Messenger.Inbox waitOnSocket(Session session, DeviceSession device, Instant deadline)
      throws Exception {
    while (true) {
      Duration left = Duration.between(Instant.now(), deadline);
      List<QueueItem> items;
      try {
        items = socket.next(left.isNegative() ? Duration.ZERO : left);
      } catch (IOException closed) {
        QueueSocket previous = socket;
        previous.close();
        socket = null;
        if (!Instant.now().isBefore(deadline)) {
          return device.messenger().open(session.accessToken(), List.of());
        }
        // Resumed with the closed socket's ticket while its token lasts; a fresh token (the
        // server closed it because the old one expired) goes the proved way.
        AccessToken token = session.accessToken();
        socket = socketOrNull(() -> previous.reopen(token));
        if (socket == null) {
          return poll(session, device, deadline);
        }
        continue;
      }
      if (!items.isEmpty() || !Instant.now().isBefore(deadline)) {
        return device.messenger().open(session.accessToken(), items);
      }
    }
  }

  /** Polls the queue over REST once a second until something arrives or the deadline passes. */
  private Messenger.Inbox poll(Session session, DeviceSession device, Instant deadline)
      throws Exception {
    while (true) {
      Messenger.Inbox inbox = device.messenger().receive(session.accessToken());
      if (!inbox.processed().isEmpty() || !Instant.now().isBefore(deadline)) {
        return inbox;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /**
   * Downloads and saves the files of each message: verified senders only, unless {@code
   * --save-unverified}. A failure that may pass (network, disk) leaves the message unacknowledged
   * and forgotten as seen, so the next {@code receive} tries again; a file that fails its checks or
   * that the server no longer has is reported and the message acknowledged.
   */
  private void saveFiles(
      Messenger.Inbox inbox,
      DeviceSession device,
      Attachments attachments,
      AccessToken token,
      Path directory)
      throws Exception {
    for (ReceivedMessage message : inbox.messages()) {
      if (!message.isFileMessage() || message.content() == null) {
        continue;
      }
      List<SavedFile> saved = new ArrayList<>();
      files.put(message.seq(), saved);
      List<AttachmentDescriptor> described;
      try {
        described = message.files();
      } catch (IllegalArgumentException malformed) {
        saved.add(
            new SavedFile(null, 0, null, null, "REJECTED: " + malformed.getMessage(), true, false));
        continue;
      }
      try {
        for (AttachmentDescriptor file : described) {
          saved.add(save(message, file, device, attachments, token, directory));
        }
      } finally {
        described.forEach(AttachmentDescriptor::destroy);
      }
      if (saved.stream().anyMatch(SavedFile::retry)) {
        retryLater.add(message.seq());
        device.messenger().redeliverLater(message);
      }
    }
  }

  private SavedFile save(
      ReceivedMessage message,
      AttachmentDescriptor file,
      DeviceSession device,
      Attachments attachments,
      AccessToken token,
      Path directory)
      throws Exception {
    if (!message.verified() && !saveUnverified) {
      return SavedFile.notSaved(
          file,
          "not saved: the sender is not verified (--save-unverified saves it anyway)",
          false,
          false);
    }
    try {
      ownerOnlyDirectory(directory);
      return SavedFile.saved(file, attachments.save(file, directory, token, device.proofs(token)));
    } catch (AttachmentIntegrityException broken) {
      return SavedFile.notSaved(file, "REJECTED, not saved: " + broken.getMessage(), true, false);
    } catch (RedoubtApiException refused) {
      if (refused.status() == 404) {
        return SavedFile.notSaved(
            file,
            "not saved: the server no longer has it (" + refused.getMessage() + ")",
            false,
            false);
      }
      return SavedFile.notSaved(
          file,
          "not saved: " + refused.getMessage() + "; tried again on the next receive",
          false,
          true);
    } catch (IOException failed) {
      return SavedFile.notSaved(
          file,
          "not saved: "
              + failed.getClass().getSimpleName()
              + ": "
              + failed.getMessage()
              + "; tried again on the next receive",
          false,
          true);
    }
  }

  /** Makes the directory if missing; one made here is the owner's only (the files are plain). */
  private static void ownerOnlyDirectory(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    Files.createDirectories(directory);
    try {
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the user's profile directory is private already.
    }
  }

  private PrintWriter err() {
    return spec.commandLine().getErr();
  }

  private void print(Messenger.Inbox inbox, String delivery) throws Exception {
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
        row.put("files", fileRows(files.getOrDefault(m.seq(), List.of())));
        row.put("verified", m.verified());
        row.put("problem", m.problem());
        messages.add(row);
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("messages", messages);
      result.put("controls", inbox.controls().stream().map(Messenger.Control::message).toList());
      result.put("duplicates", inbox.duplicates());
      result.put("delivery", delivery);
      out.println(Json.WRITER.writeValueAsString(result));
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
              : m.isFileMessage()
                  ? ""
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
      for (SavedFile file : files.getOrDefault(m.seq(), List.of())) {
        if (file.path() != null) {
          out.printf("    file: %s (%d bytes, %s)%n", file.path(), file.size(), file.mediaType());
        } else {
          out.printf(
              "    file %s: %s%n",
              file.sentName() == null ? "" : AttachmentNames.sanitise(file.sentName()),
              file.problem());
        }
      }
    }
  }

  private static List<Map<String, Object>> fileRows(List<SavedFile> saved) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (SavedFile file : saved) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", file.sentName());
      row.put("size", file.size());
      row.put("mediaType", file.mediaType());
      row.put("path", file.path() == null ? null : file.path().toString());
      row.put("saved", file.path() != null);
      row.put("problem", file.problem());
      rows.add(row);
    }
    return rows;
  }

  private static String string(Object value) {
    return value == null ? null : value.toString();
  }
}
