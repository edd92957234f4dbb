package io.redoubt.it;

import static io.redoubt.it.Messaging.acknowledge;
import static io.redoubt.it.Messaging.direct;
import static io.redoubt.it.Messaging.enroll;
import static io.redoubt.it.Messaging.envelope;
import static io.redoubt.it.Messaging.envelopesIn;
import static io.redoubt.it.Messaging.ids;
import static io.redoubt.it.Messaging.post;
import static io.redoubt.it.Messaging.queue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.client.AccessToken;
import io.redoubt.it.Messaging.Dev;
import io.redoubt.protocol.api.EnvelopeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.Security;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attachments end to end against the real server: a 200 MiB file sealed and uploaded by the SDK,
 * referenced in an envelope, downloaded and opened by the recipient to the same bytes — each side
 * in a JVM with a 64 MiB heap; the blob limit enforced while an upload streams; downloads only for
 * members; references only to the sender's own live blobs; deletion once acknowledged, expired or
 * never referenced; the per-user quota, before, while and after an upload streams, and against
 * parallel uploads; the orphan sweep. The server runs with a 256 MiB blob limit, a 1 GiB quota, a 2
 * s sweep, a 3 s orphan sweep and a 30 s grace for unreferenced uploads (it/pom.xml).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BlobIT {

  private static final long LIMIT =
      Long.parseLong(System.getProperty("it.blob.limit", "268435456"));
  private static final long QUOTA =
      Long.parseLong(System.getProperty("it.blob.quota", "1073741824"));
  private static final long MIB = 1L << 20;

  /**
   * The device id of the records this test plants to bring a user near the quota: no device has it,
   * so they are easy to find and remove, also after an interrupted run.
   */
  private static final String PLANTED_DEVICE = "00000000-0000-4000-8000-00000000b10b";

  private static final Path BLOB_DIRECTORY =
      Path.of(System.getProperty("redoubt.server.home"), "standalone", "data", "blobs");

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return Deployments.builtEar();
  }

  private static Dev alicePhone;
  private static Dev aliceLaptop;
  private static Dev bobPhone;
  private static Dev carolPhone;
  private static Dev davePhone;
  private static String aliceAndBob;

  @BeforeAll
  static void devices() throws Exception {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
    AccessToken alice = Lab.signIn("alice");
    AccessToken bob = Lab.signIn("bob");
    AccessToken carol = Lab.signIn("carol");
    AccessToken dave = Lab.signIn("dave");
    for (AccessToken token : List.of(alice, bob, carol, dave)) {
      EnrolledDevices.revokeAllActive(token);
    }
    alicePhone = enroll(alice, "alice phone");
    aliceLaptop = enroll(alice, "alice laptop");
    bobPhone = enroll(bob, "bob phone");
    carolPhone = enroll(carol, "carol phone");
    davePhone = enroll(dave, "dave phone");
    aliceAndBob = direct(alice, "bob");
  }

  /** Uploads {@code bytes} as a blob from {@code device}; returns the 201 answer's body. */
  private static JsonNode upload(Dev device, byte[] bytes) throws Exception {
    HttpResponse<String> stored = uploadRaw(device, HttpRequest.BodyPublishers.ofByteArray(bytes));
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
    return Http.JSON.readTree(stored.body());
  }

  private static HttpResponse<String> uploadRaw(Dev device, HttpRequest.BodyPublisher body)
      throws Exception {
    return Http.send(
        Http.request("/api/v1/blobs")
            .header("Authorization", device.token().authorization())
            .header(
                io.redoubt.protocol.auth.RequestProof.HEADER, device.proof("POST", "/api/v1/blobs"))
            .header("Content-Type", "application/octet-stream")
            .timeout(Duration.ofMinutes(5))
            .POST(body));
  }

  private static HttpResponse<String> download(Dev device, String blobId) throws Exception {
    String path = "/api/v1/blobs/" + blobId;
    return Http.send(
        Http.request(path)
            .header("Authorization", device.token().authorization())
            .header(io.redoubt.protocol.auth.RequestProof.HEADER, device.proof("GET", path))
            .GET());
  }

  private static EnvelopeMessage referencing(
      Dev sender, List<Dev> recipients, Duration lifetime, String... blobIds) throws Exception {
    return envelope(
        sender,
        UUID.randomUUID(),
        aliceAndBob,
        ids(recipients),
        lifetime,
        16,
        Stream.of(blobIds).map(UUID::fromString).toList());
  }

  @Test
  void aFileOf200MiBTravelsEncryptedAndArrivesIdenticalWithFlatMemory(@TempDir Path dir)
      throws Exception {
    Path original = dir.resolve("original.bin");
    byte[] plaintextDigest = TestFiles.writeRandom(original, 200L << 20);

    List<String> uploaded = transfer("upload", alicePhone, original, null);
    String descriptor = uploaded.get(0);
    String blobId = Http.JSON.readTree(descriptor).path("blobId").asText();
    System.out.println(uploaded.get(1));

    EnvelopeMessage message =
        referencing(alicePhone, List.of(aliceLaptop, bobPhone), Duration.ofHours(1), blobId);
    assertThat(post(alicePhone, aliceAndBob, message).statusCode()).isEqualTo(201);

    Path received = dir.resolve("received.bin");
    List<String> downloaded = transfer("download", bobPhone, received, descriptor);
    System.out.println(downloaded.get(0));

    assertThat(TestFiles.sha384(received)).isEqualTo(plaintextDigest);
    // The server holds ciphertext: not one 64 KiB stretch of the file appears in the blob.
    assertThat(Files.size(blobFile(blobId))).isEqualTo((200L << 20) + 16 + 3200 * 16);
    assertThat(startsWithSameBytes(blobFile(blobId), original)).isFalse();
  }

  /**
   * Runs {@link BlobTransfer} in a JVM of its own with 64 MiB of heap; returns its output lines.
   */
  private static List<String> transfer(String mode, Dev device, Path file, String descriptor)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx64m");
    command.add("-Djava.security.properties=" + System.getProperty("java.security.properties"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BlobTransfer.class.getName());
    command.addAll(List.of(mode, Lab.SERVER.toString(), Lab.TLS_CERT.toString(), file.toString()));
    Path log = Files.createTempFile("blob-transfer", ".log");
    Process child = new ProcessBuilder(command).redirectError(log.toFile()).start();
    try (OutputStream stdin = child.getOutputStream()) {
      String secrets =
          device.token().value()
              + "\n"
              + device.id()
              + "\n"
              + Base64.getEncoder()
                  .encodeToString(device.enrolled().keys().identityKey().getEncoded())
              + "\n"
              + (descriptor == null ? "" : descriptor + "\n");
      stdin.write(secrets.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(child.exitValue()).as(output + Files.readString(log)).isZero();
    Files.delete(log);
    return output.lines().filter(line -> !line.isBlank()).toList();
  }

  /**
   * A body without a declared length is refused once it passes the limit: the server stops reading
   * there and keeps nothing. Over HTTP/1.1 the 413 can be lost to a reset when the server's close
   * meets body bytes still in flight (docs: messaging); the bytes pulled show where it stopped.
   */
  @Test
  void anUploadPastTheLimitIsRefusedWhileItStreamsAndNothingIsKept() throws Exception {
    AtomicLong pulled = new AtomicLong();
    long offered = 4 * LIMIT;
    InputStream endless = new PatternStream(offered, pulled);

    long started = System.nanoTime();
    String answer;
    try {
      HttpResponse<String> refused =
          uploadRaw(alicePhone, HttpRequest.BodyPublishers.ofInputStream(() -> endless));
      JsonNode problem = Http.assertProblem(refused, 413);
      assertThat(problem.path("type").asText()).endsWith("blob-too-large");
      answer = "413";
    } catch (IOException reset) {
      answer = "connection reset (" + reset.getMessage() + ")";
    }
    long millis = (System.nanoTime() - started) / 1_000_000;

    System.out.printf(
        "over-limit upload refused (%s) after %d MiB of %d offered (limit %d MiB), %d ms%n",
        answer, pulled.get() >> 20, offered >> 20, LIMIT >> 20, millis);
    // What the client pushed beyond the limit is what socket buffers hold, not the rest.
    assertThat(pulled.get()).isGreaterThan(LIMIT).isLessThan(LIMIT + (64L << 20));
    assertThat(incomingUploads()).isEmpty();
  }

  /**
   * A declared length over the limit is refused before the body is read. Over HTTP/1.1 the client
   * may see that as the 413 or, when the server's close meets body bytes still in flight, as a
   * reset (docs: messaging, "Upload, download and deletion"); either way it pushed little.
   */
  @Test
  void aDeclaredLengthPastTheLimitIsRefusedBeforeTheBodyIsRead() throws Exception {
    AtomicLong pulled = new AtomicLong();
    long declared = LIMIT + 1;
    try {
      HttpResponse<String> refused =
          uploadRaw(
              alicePhone,
              HttpRequest.BodyPublishers.fromPublisher(
                  HttpRequest.BodyPublishers.ofInputStream(
                      () -> new PatternStream(declared, pulled)),
                  declared));
      Http.assertProblem(refused, 413);
    } catch (IOException reset) {
      System.out.println(
          "declared over-limit upload: connection reset (" + reset.getMessage() + ")");
    }
    System.out.printf("declared over-limit upload refused after %d MiB%n", pulled.get() >> 20);
    assertThat(pulled.get()).isLessThan(64L << 20);
    assertThat(incomingUploads()).isEmpty();
  }

  @Test
  void onlyTheUploaderAndMembersOfAReferringConversationMayDownload() throws Exception {
    byte[] bytes = random(70_000);
    JsonNode stored = upload(alicePhone, bytes);
    String blobId = stored.path("blobId").asText();
    assertThat(stored.path("size").asLong()).isEqualTo(bytes.length);
    assertThat(Base64.getUrlDecoder().decode(stored.path("sha384").asText()))
        .isEqualTo(MessageDigest.getInstance("SHA-384", "BCFIPS").digest(bytes));

    HttpResponse<String> own = download(alicePhone, blobId);
    assertThat(own.statusCode()).isEqualTo(200);
    // Not referenced yet: bob may not see it, and cannot tell it from a blob that does not exist.
    assertThat(Http.assertProblem(download(bobPhone, blobId), 404).path("detail").asText())
        .isEqualTo(
            Http.assertProblem(download(bobPhone, UUID.randomUUID().toString()), 404)
                .path("detail")
                .asText()
                .replaceAll("[0-9a-f-]{36}", blobId));

    EnvelopeMessage message =
        referencing(alicePhone, List.of(aliceLaptop, bobPhone), Duration.ofHours(1), blobId);
    assertThat(post(alicePhone, aliceAndBob, message).statusCode()).isEqualTo(201);

    HttpResponse<byte[]> atBob =
        HttpClient.newBuilder()
            .sslContext(Lab.tls())
            .build()
            .send(
                Http.request("/api/v1/blobs/" + blobId)
                    .header("Authorization", bobPhone.token().authorization())
                    .header(
                        io.redoubt.protocol.auth.RequestProof.HEADER,
                        bobPhone.proof("GET", "/api/v1/blobs/" + blobId))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(atBob.statusCode()).isEqualTo(200);
    assertThat(atBob.body()).isEqualTo(bytes);
    Http.assertProblem(download(carolPhone, blobId), 404);
    Http.assertProblem(download(carolPhone, "not-a-uuid"), 404);
  }

  @Test
  void anEnvelopeMayReferenceOnlyTheSendersOwnBlobs() throws Exception {
    String bobs = upload(bobPhone, random(100)).path("blobId").asText();
    String alices = upload(alicePhone, random(100)).path("blobId").asText();
    List<Dev> recipients = List.of(aliceLaptop, bobPhone);

    for (EnvelopeMessage refused :
        List.of(
            referencing(alicePhone, recipients, Duration.ofHours(1), bobs),
            referencing(alicePhone, recipients, Duration.ofHours(1), UUID.randomUUID().toString()),
            referencing(alicePhone, recipients, Duration.ofHours(1), alices, alices))) {
      JsonNode problem = Http.assertProblem(post(alicePhone, aliceAndBob, refused), 400);
      assertThat(problem.path("type").asText())
          .matches(".*(unknown-attachment|malformed-envelope)");
      assertThat(envelopesIn(queue(bobPhone), refused.header().messageId())).isEmpty();
    }
    Http.assertProblem(download(alicePhone, bobs), 404);
  }

  @Test
  void aBlobIsDeletedOnceEveryRecipientAcknowledged() throws Exception {
    String blobId = upload(alicePhone, random(1000)).path("blobId").asText();
    EnvelopeMessage message =
        referencing(alicePhone, List.of(aliceLaptop, bobPhone), Duration.ofHours(1), blobId);
    assertThat(post(alicePhone, aliceAndBob, message).statusCode()).isEqualTo(201);
    String messageId = message.header().messageId();

    acknowledge(bobPhone, List.of(seqOf(bobPhone, messageId)));
    Thread.sleep(5_000); // two sweeps: one recipient acknowledging is not enough
    assertThat(download(bobPhone, blobId).statusCode()).isEqualTo(200);

    acknowledge(aliceLaptop, List.of(seqOf(aliceLaptop, messageId)));
    assertThat(goneWithin(blobId, Duration.ofSeconds(15))).isTrue();
  }

  @Test
  void aBlobIsDeletedWithItsExpiredEnvelopeAndAnUnreferencedOneAfterItsGrace() throws Exception {
    String referenced = upload(alicePhone, random(1000)).path("blobId").asText();
    String unreferenced = upload(alicePhone, random(1000)).path("blobId").asText();
    EnvelopeMessage shortLived =
        referencing(alicePhone, List.of(aliceLaptop, bobPhone), Duration.ofSeconds(4), referenced);
    assertThat(post(alicePhone, aliceAndBob, shortLived).statusCode()).isEqualTo(201);

    assertThat(goneWithin(referenced, Duration.ofSeconds(20))).isTrue();
    assertThat(goneWithin(unreferenced, Duration.ofSeconds(45))).isTrue();
    JsonNode late =
        Http.assertProblem(
            post(
                alicePhone,
                aliceAndBob,
                referencing(
                    alicePhone, List.of(aliceLaptop, bobPhone), Duration.ofHours(1), unreferenced)),
            400);
    assertThat(late.path("type").asText()).endsWith("unknown-attachment");
  }

  @Test
  void everyBlobEndpointWantsATokenAndADeviceProof() throws Exception {
    String someId = UUID.randomUUID().toString();
    HttpResponse<String> noTokenUpload =
        Http.send(
            Http.request("/api/v1/blobs")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10])));
    Http.assertProblem(noTokenUpload, 401);
    Http.assertProblem(Http.get("/api/v1/blobs/" + someId, null), 401);
    JsonNode noProof =
        Http.assertProblem(Http.get("/api/v1/blobs/" + someId, alicePhone.token().value()), 401);
    assertThat(noProof.path("type").asText()).endsWith("device-proof");
    Http.assertProblem(download(alicePhone, someId), 404);
  }

  /**
   * With a record planted so that dave has 1 MiB left, a declared length over it is refused before
   * the body is read, and a body without a length once it passes what is left (not the blob limit):
   * nothing is stored, and dave's records are as they were.
   */
  @Test
  void anUploadOverTheQuotaIsRefusedAndNothingIsStored() throws Exception {
    String planted = plantUsageLeaving(davePhone, MIB);
    try {
      String before = recordsOf(davePhone);
      Instant started = Instant.now();

      AtomicLong declaredPulled = new AtomicLong();
      long declared = 2 * MIB;
      refusedOverQuota(
          "declared over-quota upload",
          () ->
              uploadRaw(
                  davePhone,
                  HttpRequest.BodyPublishers.fromPublisher(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new PatternStream(declared, declaredPulled)),
                      declared)));

      AtomicLong streamPulled = new AtomicLong();
      long offered = 200 * MIB; // under the blob limit: only the quota stops it
      refusedOverQuota(
          "streamed over-quota upload",
          () ->
              uploadRaw(
                  davePhone,
                  HttpRequest.BodyPublishers.ofInputStream(
                      () -> new PatternStream(offered, streamPulled))));
      System.out.printf(
          "over-quota upload without a length stopped after %d MiB of %d offered%n",
          streamPulled.get() >> 20, offered >> 20);
      // Reading stopped at the 1 MiB left; the rest is socket buffers, not the 200 MiB.
      assertThat(streamPulled.get()).isGreaterThan(MIB).isLessThan(MIB + (64L << 20));

      assertThat(recordsOf(davePhone)).isEqualTo(before);
      assertThat(incomingUploads()).isEmpty();
      assertThat(blobFilesWrittenSince(started)).isEmpty();
    } finally {
      removePlanted(planted);
    }
  }

  /**
   * Four uploads of 1 MiB at once when 1.5 MiB is left: each passes the checks before and while it
   * streams, and only the check under the uploader's lock, when records are written, lets exactly
   * one through. The refused ones get the problem with the allowance and usage, and their files are
   * gone.
   */
  @Test
  void parallelUploadsCannotTogetherPassTheQuota() throws Exception {
    String planted = plantUsageLeaving(davePhone, MIB + MIB / 2);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      long usedBefore = usageOf(davePhone);
      Instant started = Instant.now();
      // No body ends before all four requests are sending theirs, so that all four passed the
      // checks before streaming while none was recorded yet.
      CyclicBarrier together = new CyclicBarrier(4);
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(
            pool.submit(
                () ->
                    uploadRaw(
                        davePhone,
                        HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(
                                () -> new BarrierStream(random((int) MIB), together)),
                            MIB))));
      }
      List<String> stored = new ArrayList<>();
      int refused = 0;
      for (Future<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response;
        try {
          response = answer.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
          // Refused before its body was read (the server took this request only after another
          // was recorded): the close may meet the body in flight, as for the other refusals.
          assertThat(e.getCause()).isInstanceOf(IOException.class);
          System.out.println("parallel upload: connection reset (" + e.getCause() + ")");
          refused++;
          continue;
        }
        if (response.statusCode() == 201) {
          stored.add(Http.JSON.readTree(response.body()).path("blobId").asText());
        } else {
          JsonNode problem = Http.assertProblem(response, 413);
          assertThat(problem.path("type").asText())
              .isEqualTo("urn:redoubt:problem:blob-quota-exceeded");
          assertThat(problem.path("allowanceBytes").asLong()).isEqualTo(QUOTA);
          assertThat(problem.path("usedBytes").asLong()).isEqualTo(usedBefore + MIB);
          assertThat(problem.path("detail").asText()).contains(Long.toString(QUOTA));
          refused++;
        }
      }
      assertThat(stored).hasSize(1);
      assertThat(refused).isEqualTo(3);
      assertThat(usageOf(davePhone)).isEqualTo(usedBefore + MIB).isLessThanOrEqualTo(QUOTA);
      assertThat(blobFilesWrittenSince(started)).containsExactly(blobFile(stored.get(0)));
      assertThat(incomingUploads()).isEmpty();
    } finally {
      pool.shutdownNow();
      removePlanted(planted);
    }
  }

  /**
   * Files planted in the blob directory with an old modification time: one named like a blob with
   * no record and an abandoned partial upload go; a recorded blob's file (made as old), a young
   * orphan (an upload whose record may be about to commit) and a name the store never gives stay.
   */
  @Test
  void theOrphanSweepDeletesOldUnrecordedFilesOnly() throws Exception {
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
    byte[] bytes = random(1000);
    String recorded = upload(alicePhone, bytes).path("blobId").asText();
    Files.setLastModifiedTime(blobFile(recorded), old);

    Path orphan = plantFile(blobFile(UUID.randomUUID().toString()), old);
    Path partial = plantFile(BLOB_DIRECTORY.resolve("incoming").resolve("upload-1.part"), old);
    Path young = plantFile(blobFile(UUID.randomUUID().toString()), null);
    Path stranger = plantFile(orphan.resolveSibling("keep-me.txt"), old);
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while ((Files.exists(orphan) || Files.exists(partial)) && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
      assertThat(orphan).doesNotExist();
      assertThat(partial).doesNotExist();
      Thread.sleep(4_000); // another sweep at least, to be sure the others are kept, not just late
      assertThat(blobFile(recorded)).exists();
      assertThat(young).exists();
      assertThat(stranger).exists();
      HttpResponse<byte[]> own =
          HttpClient.newBuilder()
              .sslContext(Lab.tls())
              .build()
              .send(
                  Http.request("/api/v1/blobs/" + recorded)
                      .header("Authorization", alicePhone.token().authorization())
                      .header(
                          io.redoubt.protocol.auth.RequestProof.HEADER,
                          alicePhone.proof("GET", "/api/v1/blobs/" + recorded))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(own.statusCode()).isEqualTo(200);
      assertThat(own.body()).isEqualTo(bytes);
    } finally {
      Files.deleteIfExists(young);
      Files.deleteIfExists(stranger);
    }
  }

  private static Path plantFile(Path file, FileTime modified) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, random(100));
    if (modified != null) {
      Files.setLastModifiedTime(file, modified);
    }
    return file;
  }

  /** Runs an upload that must be refused for the quota; a reset counts, as for the blob limit. */
  private static void refusedOverQuota(String what, Callable<HttpResponse<String>> upload)
      throws Exception {
    try {
      JsonNode problem = Http.assertProblem(upload.call(), 413);
      assertThat(problem.path("type").asText())
          .isEqualTo("urn:redoubt:problem:blob-quota-exceeded");
      assertThat(problem.path("allowanceBytes").asLong()).isEqualTo(QUOTA);
      assertThat(problem.path("usedBytes").asLong()).isEqualTo(QUOTA - MIB);
    } catch (IOException reset) {
      System.out.println(what + ": connection reset (" + reset.getMessage() + ")");
    }
  }

  /**
   * Plants a blob record for {@code device}'s user (no file: only its size counts) so that exactly
   * {@code left} bytes of the quota remain; returns its id for {@link #removePlanted}.
   */
  private static String plantUsageLeaving(Dev device, long left) throws Exception {
    LabDatabase.query(
        "DELETE FROM attachment_blob WHERE uploader_device_id = '" + PLANTED_DEVICE + "'");
    long size = QUOTA - usageOf(device) - left;
    assertThat(size).as("room to plant").isPositive();
    String id = UUID.randomUUID().toString();
    // claim_by a day on: no sweep releases it while the test runs, whatever the time zones.
    LabDatabase.query(
        "INSERT INTO attachment_blob (blob_id, uploader_user_id, uploader_device_id, size_bytes,"
            + " sha384, uploaded_at, claim_by) VALUES ('"
            + id
            + "', '"
            + sqlUserId(device)
            + "', '"
            + PLANTED_DEVICE
            + "', "
            + size
            + ", UNHEX(REPEAT('00', 48)), NOW(6), NOW(6) + INTERVAL 1 DAY)");
    return id;
  }

  private static void removePlanted(String id) throws Exception {
    LabDatabase.query("DELETE FROM attachment_blob WHERE blob_id = '" + id + "'");
  }

  /** The sum of the sizes of the user's blob records: what the quota counts. */
  private static long usageOf(Dev device) throws Exception {
    return Long.parseLong(
        LabDatabase.single(
            "SELECT COALESCE(SUM(size_bytes), 0) FROM attachment_blob WHERE uploader_user_id = '"
                + sqlUserId(device)
                + "'"));
  }

  /** The user's blob records, one line each, in id order. */
  private static String recordsOf(Dev device) throws Exception {
    return String.join(
        "\n",
        LabDatabase.query(
            "SELECT blob_id, size_bytes FROM attachment_blob WHERE uploader_user_id = '"
                + sqlUserId(device)
                + "' ORDER BY blob_id"));
  }

  /** The user id the server answered, checked to be safe inside a quoted SQL literal. */
  private static String sqlUserId(Dev device) {
    assertThat(device.userId()).matches("[A-Za-z0-9@._-]+");
    return device.userId();
  }

  /**
   * Blob files (in the shard directories) last written at or after {@code since}. Sweeps may delete
   * files meanwhile: one that vanishes while listed was not written by this test.
   */
  private static List<Path> blobFilesWrittenSince(Instant since) throws IOException {
    FileTime from = FileTime.from(since.minusSeconds(1));
    List<Path> written = new ArrayList<>();
    List<Path> shards;
    try (Stream<Path> top = Files.list(BLOB_DIRECTORY)) {
      shards = top.filter(dir -> dir.getFileName().toString().matches("[0-9a-f]{2}")).toList();
    }
    for (Path shard : shards) {
      try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
        for (Path file : files) {
          try {
            if (Files.getLastModifiedTime(file).compareTo(from) >= 0) {
              written.add(file);
            }
          } catch (java.nio.file.NoSuchFileException vanished) {
            // swept while listed
          }
        }
      }
    }
    return written;
  }

  private static long seqOf(Dev device, String messageId) throws Exception {
    List<JsonNode> items = envelopesIn(queue(device), messageId);
    assertThat(items).hasSize(1);
    return items.get(0).path("seq").asLong();
  }

  /** Polls the uploader's download until it is 404 and the file is gone from the blob store. */
  private static boolean goneWithin(String blobId, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (download(alicePhone, blobId).statusCode() == 404 && !Files.exists(blobFile(blobId))) {
        return true;
      }
      Thread.sleep(500);
    }
    return false;
  }

  private static Path blobFile(String blobId) {
    return BLOB_DIRECTORY.resolve(blobId.substring(0, 2)).resolve(blobId);
  }

  /** Uploads being received or left behind; the directory exists once the first upload began. */
  private static List<Path> incomingUploads() throws IOException {
    Path incoming = BLOB_DIRECTORY.resolve("incoming");
    if (!Files.isDirectory(incoming)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(incoming)) {
      return files.toList();
    }
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    new SplittableRandom().nextBytes(bytes);
    return bytes;
  }

  /** Writes {@code size} pseudo-random bytes (a fresh seed per run) and returns their SHA-384. */
  private static boolean startsWithSameBytes(Path a, Path b) throws IOException {
    try (InputStream x = Files.newInputStream(a);
        InputStream y = Files.newInputStream(b)) {
      x.skipNBytes(16);
      return java.util.Arrays.equals(x.readNBytes(65536), y.readNBytes(65536));
    }
  }

  /** Given bytes, whose first read waits until every stream of the barrier was read from. */
  private static final class BarrierStream extends InputStream {
    private final java.io.ByteArrayInputStream bytes;
    private final CyclicBarrier together;
    private boolean started;

    BarrierStream(byte[] bytes, CyclicBarrier together) {
      this.bytes = new java.io.ByteArrayInputStream(bytes);
      this.together = together;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (!started) {
        started = true;
        try {
          together.await(1, TimeUnit.MINUTES);
        } catch (Exception e) {
          throw new IOException("the parallel uploads did not all start", e);
        }
      }
      return bytes.read(b, off, len);
    }
  }

  /** {@code size} bytes of a pattern, counting how many the HTTP client pulled. */
  private static final class PatternStream extends InputStream {
    private final long size;
    private final AtomicLong pulled;

    PatternStream(long size, AtomicLong pulled) {
      this.size = size;
      this.pulled = pulled;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      long left = size - pulled.get();
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 0x5a);
      pulled.addAndGet(n);
      return n;
    }
  }
}
