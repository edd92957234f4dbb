package io.redoubt.it;

import static io.redoubt.it.Messaging.acknowledge;
import static io.redoubt.it.Messaging.enroll;
import static io.redoubt.it.Messaging.envelope;
import static io.redoubt.it.Messaging.envelopesIn;
import static io.redoubt.it.Messaging.ids;
import static io.redoubt.it.Messaging.post;
import static io.redoubt.it.Messaging.queue;
import static io.redoubt.it.Sockets.connect;
import static io.redoubt.it.Sockets.hello;
import static io.redoubt.it.Sockets.nextItemFor;
import static io.redoubt.it.Sockets.nextOfType;
import static io.redoubt.it.Sockets.resumptionTicket;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redoubt.client.AccessToken;
import io.redoubt.it.Messaging.Dev;
import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.auth.RequestProof;
import io.redoubt.protocol.crypto.FipsModule;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server's side of messaging, black-box over HTTPS and the socket: device proofs,
 * conversations, the checks an envelope must pass before it is stored, queues and acknowledgement,
 * live delivery. The envelopes here are well formed and signed but their content is random bytes:
 * the server must never need more (end-to-end sealing is {@code MessagingIT}'s subject, through the
 * SDK and CLI).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MessagingApiIT {

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return Deployments.builtEar();
  }

  private static AccessToken alice;
  private static AccessToken bob;
  private static AccessToken carol;
  private static Dev alicePhone;
  private static Dev aliceLaptop;
  private static Dev bobPhone;
  private static Dev carolPhone;

  @BeforeAll
  static void devices() throws Exception {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
    alice = Lab.signIn("alice");
    bob = Lab.signIn("bob");
    carol = Lab.signIn("carol");
    for (AccessToken token : List.of(alice, bob, carol)) {
      EnrolledDevices.revokeAllActive(token);
    }
    alicePhone = enroll(alice, "alice phone");
    aliceLaptop = enroll(alice, "alice laptop");
    bobPhone = enroll(bob, "bob phone");
    carolPhone = enroll(carol, "carol phone");
  }

  private static String direct(AccessToken token, String with, int expectedStatus)
      throws Exception {
    HttpResponse<String> made = Messaging.createDirect(token, with);
    assertThat(made.statusCode()).as(made.body()).isEqualTo(expectedStatus);
    return Http.JSON.readTree(made.body()).path("id").asText();
  }

  @Test
  void aDirectConversationIsMadeOnceWhoeverAsks() throws Exception {
    String made = direct(alice, "bob", statusOfFirstDirect());
    assertThat(direct(alice, "bob", 200)).isEqualTo(made);
    assertThat(direct(bob, "alice", 200)).isEqualTo(made);

    HttpResponse<String> seen = Http.get("/api/v1/conversations/" + made, bob.value());
    assertThat(seen.statusCode()).isEqualTo(200);
    JsonNode conversation = Http.JSON.readTree(seen.body());
    assertThat(conversation.path("kind").asText()).isEqualTo("direct");
    assertThat(conversation.path("members").findValuesAsText("username"))
        .containsExactlyInAnyOrder("alice", "bob");
    Http.assertProblem(Http.get("/api/v1/conversations/" + made, carol.value()), 404);
  }

  /** The direct alice–bob conversation may already exist from another test of this class. */
  private static int statusOfFirstDirect() throws Exception {
    HttpResponse<String> list = Http.get("/api/v1/conversations", alice.value());
    for (JsonNode conversation : Http.JSON.readTree(list.body())) {
      if ("direct".equals(conversation.path("kind").asText())
          && conversation.path("members").findValuesAsText("username").contains("bob")) {
        return 200;
      }
    }
    return 201;
  }

  @Test
  void recipientsAreTheOtherActiveDevicesWithClaimedPrekeys() throws Exception {
    String conversation = Messaging.direct(alice, "bob");

    HttpResponse<String> answer =
        alicePhone.call("POST", "/api/v1/conversations/" + conversation + "/recipients", null);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode recipients = Http.JSON.readTree(answer.body());
    List<String> listed = new ArrayList<>();
    for (JsonNode user : recipients.path("users")) {
      for (JsonNode device : user.path("devices")) {
        listed.add(device.path("deviceId").asText());
        // Each device comes with its issue entry, so a client need not ask the log for it.
        JsonNode entry = device.path("issuedLogEntry");
        assertThat(entry.path("index").asLong()).isEqualTo(device.path("issuedLogIndex").asLong());
        assertThat(entry.path("kind").asText()).isEqualTo("certificate-issued");
        assertThat(entry.path("deviceId").asText()).isEqualTo(device.path("deviceId").asText());
        assertThat(entry.path("leaf").asText()).isNotEmpty();
      }
    }
    assertThat(listed)
        .containsExactlyInAnyOrder(aliceLaptop.id().toString(), bobPhone.id().toString());
    assertThat(recipients.path("users").findValues("prekey")).allMatch(p -> !p.isNull());
    assertThat(recipients.path("treeHead").path("signature").asText()).isNotEmpty();
  }

  @Test
  void proofsAreRequiredFreshUnusedAndForThisRequest() throws Exception {
    String conversation = Messaging.direct(alice, "bob");
    String path = "/api/v1/conversations/" + conversation + "/recipients";

    JsonNode missing =
        Http.assertProblem(Http.send(alicePhone.request("POST", path, null, null)), 401);
    assertThat(missing.path("type").asText()).isEqualTo("urn:redoubt:problem:device-proof");

    String forGet = alicePhone.proof("GET", path);
    Http.assertProblem(Http.send(alicePhone.request("POST", path, null, forGet)), 401);

    String once = alicePhone.proof("POST", path);
    assertThat(Http.send(alicePhone.request("POST", path, null, once)).statusCode()).isEqualTo(200);
    JsonNode replayed =
        Http.assertProblem(Http.send(alicePhone.request("POST", path, null, once)), 401);
    assertThat(replayed.path("detail").asText()).contains("used before");

    String stale =
        RequestProof.sign(
                alicePhone.id(),
                "POST",
                path,
                alice.value(),
                alicePhone.enrolled().keys().identityKey(),
                Instant.now().minus(Duration.ofMinutes(5)),
                FipsModule.random())
            .headerValue();
    Http.assertProblem(Http.send(alicePhone.request("POST", path, null, stale)), 401);

    // Bob's device key and id, but alice's token: not her device.
    Dev bobDeviceWithAlicesToken = new Dev(alice, bobPhone.enrolled(), alicePhone.userId());
    Http.assertProblem(
        Http.send(
            bobDeviceWithAlicesToken.request(
                "POST", path, null, bobDeviceWithAlicesToken.proof("POST", path))),
        403);
  }

  @Test
  void anEnvelopeIsStoredOnceQueuedPerDeviceAndGoneWhenAcknowledged() throws Exception {
    String conversation = Messaging.direct(alice, "bob");
    EnvelopeMessage envelope =
        envelope(alicePhone, conversation, List.of(aliceLaptop, bobPhone), Duration.ofDays(1), 40);
    String messageId = envelope.header().messageId();

    HttpResponse<String> stored = post(alicePhone, conversation, envelope);
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
    assertThat(Http.JSON.readTree(stored.body()).path("recipients").asInt()).isEqualTo(2);
    HttpResponse<String> retried = post(alicePhone, conversation, envelope);
    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
    // The same envelope in other JSON text (indented, with a member this server does not know) is
    // still a retry: what is compared is the canonical form of what was decoded, not the text.
    ObjectNode otherText = Http.JSON.valueToTree(envelope);
    otherText.put("memberOfANewerClient", true);
    HttpResponse<String> retriedInOtherText =
        post(alicePhone, conversation, otherText.toPrettyString());
    assertThat(retriedInOtherText.statusCode()).as(retriedInOtherText.body()).isEqualTo(200);

    List<JsonNode> atBob = envelopesIn(queue(bobPhone), messageId);
    assertThat(atBob).hasSize(1);
    assertThat(Http.JSON.treeToValue(atBob.get(0).path("envelope"), EnvelopeMessage.class))
        .usingRecursiveComparison()
        .isEqualTo(envelope);
    assertThat(envelopesIn(queue(aliceLaptop), messageId)).hasSize(1);
    assertThat(envelopesIn(queue(alicePhone), messageId)).isEmpty();

    acknowledge(bobPhone, List.of(atBob.get(0).path("seq").asLong()));
    assertThat(envelopesIn(queue(bobPhone), messageId)).isEmpty();
    assertThat(envelopesIn(queue(aliceLaptop), messageId)).hasSize(1);
    // Another device's sequence numbers are not bob's to acknowledge: nothing changes.
    long laptopSeq = envelopesIn(queue(aliceLaptop), messageId).get(0).path("seq").asLong();
    acknowledge(bobPhone, List.of(laptopSeq));
    assertThat(envelopesIn(queue(aliceLaptop), messageId)).hasSize(1);
    acknowledge(aliceLaptop, List.of(laptopSeq));
    assertThat(envelopesIn(queue(aliceLaptop), messageId)).isEmpty();
  }

  @Test
  void badEnvelopesAreRefusedWithAProblemAndNothingStored() throws Exception {
    String conversation = Messaging.direct(alice, "bob");
    List<Dev> everyone = List.of(aliceLaptop, bobPhone);

    assertThat(problemType(post(alicePhone, conversation, "{\"header\":"), 400)).isNotEmpty();
    // Cut off inside values the envelope does not have: JSON-B's skipping of unknown properties
    // never returned on these and held a worker thread; they must be refused like the one above.
    assertThat(problemType(post(alicePhone, conversation, "{\"x\":[1,[2"), 400)).isNotEmpty();
    assertThat(problemType(post(alicePhone, conversation, "{\"header\":{\"x\":{\"y\":"), 400))
        .isNotEmpty();
    ObjectNode badBase64 =
        Http.JSON.valueToTree(envelope(alicePhone, conversation, everyone, Duration.ofDays(1), 8));
    ((ObjectNode) badBase64.path("content")).put("ciphertext", "not*base64");
    assertThat(problemType(post(alicePhone, conversation, badBase64), 400))
        .endsWith("malformed-envelope");

    EnvelopeMessage asLaptop =
        envelope(aliceLaptop, conversation, List.of(alicePhone, bobPhone), Duration.ofDays(1), 8);
    assertThat(problemType(post(alicePhone, conversation, asLaptop), 403))
        .endsWith("sender-not-authenticated-device");

    HttpResponse<String> missing =
        post(
            alicePhone,
            conversation,
            envelope(alicePhone, conversation, List.of(aliceLaptop), Duration.ofDays(1), 8));
    JsonNode mismatch = Http.assertProblem(missing, 409);
    assertThat(mismatch.path("missingDevices").get(0).asText()).isEqualTo(bobPhone.id().toString());

    HttpResponse<String> foreign =
        post(
            alicePhone,
            conversation,
            envelope(
                alicePhone,
                conversation,
                List.of(aliceLaptop, bobPhone, carolPhone),
                Duration.ofDays(1),
                8));
    assertThat(Http.assertProblem(foreign, 409).path("unexpectedDevices").get(0).asText())
        .isEqualTo(carolPhone.id().toString());

    assertThat(
            problemType(
                post(
                    alicePhone,
                    conversation,
                    envelope(alicePhone, conversation, everyone, Duration.ofDays(400), 8)),
                400))
        .endsWith("lifetime-not-allowed");
    assertThat(
            problemType(
                post(
                    alicePhone,
                    conversation,
                    envelope(alicePhone, conversation, everyone, Duration.ofDays(1), 70_000)),
                413))
        .endsWith("envelope-too-large");

    EnvelopeMessage original = envelope(alicePhone, conversation, everyone, Duration.ofDays(1), 8);
    assertThat(post(alicePhone, conversation, original).statusCode()).isEqualTo(201);
    EnvelopeMessage sameIdOtherBody =
        envelope(
            alicePhone,
            UUID.fromString(original.header().messageId()),
            conversation,
            ids(everyone),
            Duration.ofDays(1),
            8);
    assertThat(problemType(post(alicePhone, conversation, sameIdOtherBody), 409))
        .endsWith("message-id-reused");

    // Carol is not a member: the conversation does not exist for her.
    EnvelopeMessage fromCarol =
        envelope(
            carolPhone,
            conversation,
            List.of(alicePhone, aliceLaptop, bobPhone),
            Duration.ofDays(1),
            8);
    assertThat(problemType(post(carolPhone, conversation, fromCarol), 404))
        .endsWith("unknown-conversation");

    // Nothing refused reached bob: only the one good envelope is in his queue from this test.
    JsonNode bobs = queue(bobPhone);
    assertThat(envelopesIn(bobs, original.header().messageId())).hasSize(1);
    assertThat(envelopesIn(bobs, asLaptop.header().messageId())).isEmpty();
    assertThat(envelopesIn(bobs, fromCarol.header().messageId())).isEmpty();
  }

  private static String problemType(HttpResponse<String> response, int status) throws Exception {
    return Http.assertProblem(response, status).path("type").asText();
  }

  @Test
  void aRemovedMemberIsToldAndReceivesNothingAfterwards() throws Exception {
    HttpResponse<String> made =
        Http.send(
            Http.request("/api/v1/conversations")
                .header("Authorization", alice.authorization())
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"kind\":\"group\",\"name\":\"Ops "
                            + UUID.randomUUID()
                            + "\",\"members\":[\"bob\",\"carol\"]}")));
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    String group = Http.JSON.readTree(made.body()).path("id").asText();

    // Only admins remove others: bob may not remove carol.
    HttpResponse<String> byBob =
        Http.send(
            Http.request("/api/v1/conversations/" + group + "/members/" + carolPhone.userId())
                .header("Authorization", bob.authorization())
                .DELETE());
    assertThat(Http.assertProblem(byBob, 403).path("type").asText()).endsWith("not-group-admin");

    HttpResponse<String> removed =
        Http.send(
            Http.request("/api/v1/conversations/" + group + "/members/" + carolPhone.userId())
                .header("Authorization", alice.authorization())
                .DELETE());
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);

    List<String> carolsNotices = new ArrayList<>();
    queue(carolPhone)
        .path("items")
        .forEach(
            item -> {
              if (group.equals(item.path("control").path("conversationId").asText())) {
                carolsNotices.add(item.path("control").path("type").asText());
              }
            });
    assertThat(carolsNotices).containsExactly("created", "member-removed");

    EnvelopeMessage withCarol =
        envelope(
            alicePhone, group, List.of(aliceLaptop, bobPhone, carolPhone), Duration.ofDays(1), 8);
    assertThat(
            Http.assertProblem(post(alicePhone, group, withCarol), 409)
                .path("unexpectedDevices")
                .get(0)
                .asText())
        .isEqualTo(carolPhone.id().toString());
    EnvelopeMessage withoutCarol =
        envelope(alicePhone, group, List.of(aliceLaptop, bobPhone), Duration.ofDays(1), 8);
    assertThat(post(alicePhone, group, withoutCarol).statusCode()).isEqualTo(201);
    assertThat(envelopesIn(queue(carolPhone), withoutCarol.header().messageId())).isEmpty();
    assertThat(envelopesIn(queue(bobPhone), withoutCarol.header().messageId())).hasSize(1);
  }

  @Test
  void aConnectedDeviceGetsItsBacklogThenNewEnvelopesAtOnce() throws Exception {
    String conversation = Messaging.direct(alice, "bob");
    EnvelopeMessage before =
        envelope(alicePhone, conversation, List.of(aliceLaptop, bobPhone), Duration.ofDays(1), 8);
    assertThat(post(alicePhone, conversation, before).statusCode()).isEqualTo(201);

    LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    WebSocket socket = connect(bobPhone, frames);
    try {
      assertThat(nextOfType(frames, "ready")).isNotNull();
      JsonNode backlog = nextItemFor(frames, before.header().messageId());
      assertThat(backlog).as("the backlog is pushed on connect").isNotNull();

      EnvelopeMessage live =
          envelope(alicePhone, conversation, List.of(aliceLaptop, bobPhone), Duration.ofDays(1), 8);
      long sentAt = System.nanoTime();
      assertThat(post(alicePhone, conversation, live).statusCode()).isEqualTo(201);
      JsonNode pushed = nextItemFor(frames, live.header().messageId());
      assertThat(pushed).as("a new envelope is pushed").isNotNull();
      System.out.printf("socket push after 201: %d ms%n", (System.nanoTime() - sentAt) / 1_000_000);

      socket
          .sendText(
              "{\"type\":\"ack\",\"seqs\":["
                  + backlog.path("item").path("seq").asLong()
                  + ","
                  + pushed.path("item").path("seq").asLong()
                  + "]}",
              true)
          .get(10, TimeUnit.SECONDS);
      Thread.sleep(500);
      JsonNode page = queue(bobPhone);
      assertThat(envelopesIn(page, before.header().messageId())).isEmpty();
      assertThat(envelopesIn(page, live.header().messageId())).isEmpty();
    } finally {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }

  @Test
  void anOpenSocketKeepsNothingOfItsHttpUpgrade() throws Exception {
    LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    WebSocket socket = connect(bobPhone, frames);
    try {
      assertThat(nextOfType(frames, "ready")).isNotNull();
    } finally {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
    // The server clears two private fields of Undertow's HTTP connection once a socket is open
    // (SocketUpgrade), and its TLS engines release two of Bouncy Castle's private queues once they
    // are empty (io.redoubt.tls.EngineBuffers). A WildFly whose Undertow renamed the fields, or a
    // Bouncy Castle that renamed its queues (or a JVM without the opens they need), makes it say so
    // once, here, rather than quietly keep about 7 KB and 3 KB more per socket.
    Path log =
        Path.of(System.getProperty("redoubt.server.home"), "standalone", "log", "server.log");
    String text = new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1);
    String sinceThisBoot = text.substring(Math.max(0, text.lastIndexOf("WFLYSRV0049")));
    assertThat(sinceThisBoot)
        .as("the server log since WildFly started (WFLYSRV0049)")
        .contains("WFLYSRV0049")
        .doesNotContain("Sockets keep what their HTTP upgrade left behind")
        .doesNotContain("TLS connections keep their idle buffers");
  }

  @Test
  void aDeviceSendsOverItsSocketWithTheRestEndpointsChecksAndProblems() throws Exception {
    String conversation = Messaging.direct(alice, "bob");
    List<Dev> everyone = List.of(aliceLaptop, bobPhone);
    LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    WebSocket socket = connect(alicePhone, frames);
    try {
      assertThat(nextOfType(frames, "ready")).isNotNull();
      EnvelopeMessage sent = envelope(alicePhone, conversation, everyone, Duration.ofDays(1), 8);
      JsonNode accepted = sendOver(socket, frames, "s1", conversation, sent);
      assertThat(accepted.path("type").asText()).as(accepted.toString()).isEqualTo("accepted");
      assertThat(accepted.path("accepted").path("recipients").asInt()).isEqualTo(2);
      assertThat(envelopesIn(queue(bobPhone), sent.header().messageId())).hasSize(1);

      EnvelopeMessage sameIdOtherBody =
          envelope(
              alicePhone,
              UUID.fromString(sent.header().messageId()),
              conversation,
              ids(everyone),
              Duration.ofDays(1),
              8);
      JsonNode reused = sendOver(socket, frames, "s2", conversation, sameIdOtherBody);
      assertThat(reused.path("problem").path("status").asInt()).isEqualTo(409);
      assertThat(reused.path("problem").path("type").asText())
          .as("the same problem as over REST")
          .isEqualTo(problemType(post(alicePhone, conversation, sameIdOtherBody), 409));

      EnvelopeMessage missingBob =
          envelope(alicePhone, conversation, List.of(aliceLaptop), Duration.ofDays(1), 8);
      JsonNode mismatch = sendOver(socket, frames, "s3", conversation, missingBob);
      assertThat(mismatch.path("problem").path("type").asText())
          .isEqualTo("urn:redoubt:problem:recipient-mismatch");
      assertThat(mismatch.path("problem").path("detail").asText())
          .contains(bobPhone.id().toString());
      assertThat(envelopesIn(queue(bobPhone), missingBob.header().messageId())).isEmpty();
    } finally {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }

  @Test
  void malformedFramesAreAnsweredWithAnErrorStoreNothingAndKeepTheSocket() throws Exception {
    String conversation = Messaging.direct(alice, "bob");
    List<Dev> everyone = List.of(aliceLaptop, bobPhone);
    LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket socket = connect(alicePhone, frames, closed);
    try {
      assertThat(nextOfType(frames, "ready")).isNotNull();
      EnvelopeMessage good = envelope(alicePhone, conversation, everyone, Duration.ofDays(1), 8);
      String envelopeJson = Http.JSON.writeValueAsString(good);
      String messageId = good.header().messageId();
      String send = "{\"type\":\"send\",\"requestId\":\"h\",\"conversationId\":\"" + conversation;
      for (String hostile :
          List.of(
              "not json",
              "[]",
              send + "\",\"envelope\":" + envelopeJson, // cut before the closing brace
              send
                  + "\",\"envelope\":"
                  + envelopeJson.replace("\"version\":1", "\"version\":\"1\"")
                  + "}",
              send + "\",\"envelope\":" + envelopeJson + ",\"x\":[[[[1," + "}",
              send
                  + "\",\"envelope\":"
                  + envelopeJson
                  + ",\"x\":"
                  + "[".repeat(5000)
                  + "]".repeat(5000)
                  + "}",
              "{\"type\":\"ack\",\"seqs\":[1.5]}",
              "{\"type\":\"ack\",\"seqs\":[\"1\"]}")) {
        socket.sendText(hostile, true).get(10, TimeUnit.SECONDS);
        JsonNode error = nextOfType(frames, "error");
        assertThat(error).as(hostile.substring(0, Math.min(80, hostile.length()))).isNotNull();
        assertThat(error.path("problem").path("type").asText())
            .isEqualTo("urn:redoubt:problem:malformed-frame");
      }
      assertThat(envelopesIn(queue(bobPhone), messageId)).as("nothing stored").isEmpty();
      assertThat(closed).as("the socket stays open").isNotDone();

      JsonNode accepted = sendOver(socket, frames, "after", conversation, good);
      assertThat(accepted.path("type").asText()).as(accepted.toString()).isEqualTo("accepted");
      assertThat(accepted.path("accepted").path("messageId").asText()).isEqualTo(messageId);
      assertThat(envelopesIn(queue(bobPhone), messageId)).hasSize(1);
    } finally {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }

  /**
   * The socket reads a text frame's bytes as UTF-8 (a request id with two-, three- and four-byte
   * characters comes back unchanged), and frames outside its protocol close it with the code RFC
   * 6455 names for them: a binary frame 1003 (a device sends JSON text), a text frame over 2 MiB
   * 1009.
   */
  @Test
  void framesOutsideTheSocketProtocolCloseItWithTheirCode() throws Exception {
    LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> binaryClosed = new CompletableFuture<>();
    WebSocket socket = connect(alicePhone, frames, binaryClosed);
    assertThat(nextOfType(frames, "ready")).isNotNull();
    String requestId = "Zoë ✓ \uD834\uDD1E";
    socket
        .sendText("{\"type\":\"dance\",\"requestId\":\"" + requestId + "\"}", true)
        .get(10, SECONDS);
    JsonNode unknown = nextOfType(frames, "error");
    assertThat(unknown).isNotNull();
    assertThat(unknown.path("requestId").asText()).isEqualTo(requestId);

    socket
        .sendBinary(
            ByteBuffer.wrap("{\"type\":\"ack\",\"seqs\":[]}".getBytes(StandardCharsets.UTF_8)),
            true)
        .get(10, SECONDS);
    assertThat(binaryClosed.get(10, SECONDS)).as("after a binary frame").isEqualTo(1003);

    CompletableFuture<Integer> bigClosed = new CompletableFuture<>();
    WebSocket big = connect(alicePhone, frames, bigClosed);
    assertThat(nextOfType(frames, "ready")).isNotNull();
    // The server may close while the frame is still being written: the send's own outcome is moot.
    big.sendText("{\"type\":\"ack\",\"x\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}", true);
    assertThat(bigClosed.get(10, SECONDS)).as("after a frame over 2 MiB").isEqualTo(1009);
  }

  /**
   * The queue limit (10,000 unexpired items, the default) on the real stack: a send to a device
   * whose queue is full is refused with 503, {@code recipient-queue-full} and {@code Retry-After},
   * and nothing of it is stored for anyone; once those items have expired, the next send is stored
   * (expired rows never count, and are deleted first). The backlog is planted in the database, as
   * control rows: 10,000 sends would take minutes under the rate limit. Planted before any send
   * names the device, so the server's bound of its queue length starts from a count of them.
   */
  @Test
  void aSendToAFullQueueIsRefusedAndStoredOnceTheBacklogHasExpired() throws Exception {
    Dev behind = enroll(carol, "carol behind");
    String conversation = Messaging.direct(alice, "carol");
    List<Dev> recipients = List.of(aliceLaptop, carolPhone, behind);
    Set<String> stored = new HashSet<>();
    try {
      LabDatabase.query(
          "INSERT INTO queue_item (device_id, kind, control_body, enqueued_at, expires_at)"
              + " SELECT '"
              + behind.id()
              + "', 'CONTROL', '{}', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 1 DAY"
              + " FROM seq_1_to_10000");

      EnvelopeMessage refused =
          envelope(alicePhone, conversation, recipients, Duration.ofMinutes(10), 8);
      HttpResponse<String> full = post(alicePhone, conversation, refused);
      assertThat(Http.assertProblem(full, 503).path("type").asText())
          .isEqualTo("urn:redoubt:problem:recipient-queue-full");
      assertThat(full.headers().firstValue("Retry-After")).hasValue("60");
      assertThat(
              LabDatabase.single(
                  "SELECT COUNT(*) FROM envelope WHERE message_id = '"
                      + refused.header().messageId()
                      + "'"))
          .as("nothing stored, for the full queue or anyone else")
          .isEqualTo("0");
      HttpResponse<String> again = post(alicePhone, conversation, refused);
      assertThat(again.statusCode()).as("still full: counted again").isEqualTo(503);

      LabDatabase.query(
          "UPDATE queue_item SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND"
              + " WHERE device_id = '"
              + behind.id()
              + "'");
      EnvelopeMessage after =
          envelope(alicePhone, conversation, recipients, Duration.ofMinutes(10), 8);
      stored.add(after.header().messageId());
      HttpResponse<String> accepted = post(alicePhone, conversation, after);
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
      assertThat(envelopesIn(queue(behind), after.header().messageId())).hasSize(1);
    } finally {
      EnrolledDevices.revoke(carol, behind.id());
      Messaging.acknowledgeMessages(aliceLaptop, stored);
      Messaging.acknowledgeMessages(carolPhone, stored);
    }
  }

  /** The send burst the integration server runs with ({@code it.messaging.send-burst}). */
  private static final int SEND_BURST = 1000;

  /**
   * A device over its send allowance (the burst, then 600 a minute) is refused before anything is
   * checked or stored: with 429, {@code Retry-After} and the rate-limited problem over REST, and
   * the same problem on its socket, where a refused envelope is not stored for anyone. Another
   * device of the same user keeps its own allowance. The allowance is spent on sends whose envelope
   * names another conversation than the request: each costs a token and is refused as malformed,
   * storing nothing. The bucket refills one token every 100 ms, so each check allows for a send
   * that finds one.
   */
  @Test
  void aDeviceOverItsSendAllowanceIsRefusedWithRetryAfterAndNothingStored() throws Exception {
    Dev hasty = enroll(alice, "alice hasty");
    String conversation = Messaging.direct(alice, "bob");
    List<Dev> recipients = List.of(alicePhone, aliceLaptop, bobPhone);
    Set<String> stored = new HashSet<>();
    LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    WebSocket socket = connect(hasty, frames);
    try {
      assertThat(nextOfType(frames, "ready")).isNotNull();
      EnvelopeMessage nowhere = envelope(hasty, conversation, recipients, Duration.ofDays(1), 8);
      int answeredBeforeTheFirst429 = 0;
      JsonNode refused = null;
      while (refused == null && answeredBeforeTheFirst429 < SEND_BURST * 2) {
        JsonNode answer =
            sendOver(
                socket,
                frames,
                "spend-" + answeredBeforeTheFirst429,
                UUID.randomUUID().toString(),
                nowhere);
        if (answer.path("problem").path("status").asInt() == 429) {
          refused = answer;
        } else {
          assertThat(answer.path("problem").path("type").asText())
              .as(answer.toString())
              .isEqualTo("urn:redoubt:problem:malformed-envelope");
          answeredBeforeTheFirst429++;
        }
      }
      assertThat(answeredBeforeTheFirst429)
          .as("the burst is honoured")
          .isGreaterThanOrEqualTo(SEND_BURST);
      assertThat(refused).as("refused once the burst is spent").isNotNull();
      assertThat(refused.path("problem").path("type").asText())
          .isEqualTo("urn:redoubt:problem:rate-limited");
      assertThat(refused.path("problem").path("retryAfter").asLong())
          .as("the REST answer's Retry-After, in the problem")
          .isBetween(1L, 60L);

      // Ten real envelopes at once: the bucket refills too slowly for most of them.
      List<EnvelopeMessage> valid = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        valid.add(envelope(hasty, conversation, recipients, Duration.ofDays(1), 8));
      }
      for (EnvelopeMessage envelope : valid) {
        sendFrame(socket, envelope.header().messageId(), conversation, envelope);
      }
      int limited = 0;
      for (int answered = 0; answered < valid.size(); ) {
        JsonNode answer = frames.poll(30, SECONDS);
        assertThat(answer).as("an answer to every send").isNotNull();
        String messageId = answer.path("requestId").asText();
        if (!answer.has("requestId") || messageId.startsWith("spend-")) {
          continue;
        }
        answered++;
        String count =
            LabDatabase.single(
                "SELECT COUNT(*) FROM envelope WHERE message_id = '" + messageId + "'");
        if ("accepted".equals(answer.path("type").asText())) {
          stored.add(messageId);
          assertThat(count).isEqualTo("1");
        } else {
          assertThat(answer.path("problem").path("status").asInt())
              .as(answer.toString())
              .isEqualTo(429);
          assertThat(count).as("a refused envelope is stored for nobody").isEqualTo("0");
          limited++;
        }
      }
      assertThat(limited).as("refused of the ten").isGreaterThan(5);

      HttpResponse<String> overRest = null;
      for (int i = 0; i < 20 && (overRest == null || overRest.statusCode() != 429); i++) {
        overRest = post(hasty, UUID.randomUUID().toString(), nowhere);
      }
      assertThat(Http.assertProblem(overRest, 429).path("type").asText())
          .isEqualTo("urn:redoubt:problem:rate-limited");
      assertThat(overRest.headers().firstValue("Retry-After"))
          .hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));

      assertThat(post(alicePhone, UUID.randomUUID().toString(), nowhere).statusCode())
          .as("the same user's other device has its own allowance: refused, but not for the rate")
          .isEqualTo(400);
    } finally {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
      EnrolledDevices.revoke(alice, hasty.id());
      for (Dev recipient : recipients) {
        Messaging.acknowledgeMessages(recipient, stored);
      }
    }
  }

  /** Pushed and not acknowledged items a socket holds at most (DeliveryWindow.WINDOW). */
  private static final int WINDOW = 500;

  /**
   * A socket that never acknowledges (messaging.adoc, the socket): its window stops at 500 items
   * and nothing more is pushed, nothing closes it; the next socket gets the same items again; and
   * once the items that fill the window expire, the sweep that deletes them makes room and the rest
   * of the queue follows on the same socket, still without an acknowledgement. Nothing is lost.
   */
  @Test
  void aSocketThatNeverAcknowledgesHoldsAWindowGetsItAgainAndExpiryMakesRoom() throws Exception {
    Dev window = enroll(carol, "carol window");
    String conversation = Messaging.direct(alice, "carol");
    List<Dev> recipients = List.of(aliceLaptop, carolPhone, window);
    // A new device starts with notices of its user's conversations: out of the way, so that the
    // window is exactly the envelopes below.
    List<Long> notices = new ArrayList<>();
    queue(window).path("items").forEach(item -> notices.add(item.path("seq").asLong()));
    if (!notices.isEmpty()) {
      acknowledge(window, notices);
    }
    assertThat(queue(window).path("items")).isEmpty();
    Set<String> sent = new HashSet<>();
    Set<String> lasting = new LinkedHashSet<>();
    LinkedBlockingQueue<JsonNode> senderFrames = new LinkedBlockingQueue<>();
    WebSocket sender = connect(alicePhone, senderFrames);
    LinkedBlockingQueue<JsonNode> firstFrames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> firstClosed = new CompletableFuture<>();
    WebSocket first = connect(window, firstFrames, firstClosed);
    WebSocket second = null;
    try {
      assertThat(nextOfType(senderFrames, "ready")).isNotNull();
      assertThat(nextOfType(firstFrames, "ready")).isNotNull();
      // A window's worth that expires within the test (the lab sweeps every 2 s), then a few that
      // do not, queued behind them: the window can only reach those once the first ones are gone.
      List<EnvelopeMessage> expiring = new ArrayList<>();
      for (int i = 0; i < WINDOW; i++) {
        expiring.add(envelope(alicePhone, conversation, recipients, Duration.ofSeconds(50), 8));
      }
      // Each envelope expires 50 s after it was made: the first ones a little before the last.
      Instant firstExpiry = Instant.ofEpochMilli(expiring.get(0).header().expiresAt());
      Instant lastExpiry = Instant.ofEpochMilli(expiring.get(WINDOW - 1).header().expiresAt());
      expiring.forEach(e -> sent.add(e.header().messageId()));
      sendAll(sender, senderFrames, conversation, expiring);
      List<EnvelopeMessage> after = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        after.add(envelope(alicePhone, conversation, recipients, Duration.ofDays(1), 8));
      }
      after.forEach(e -> lasting.add(e.header().messageId()));
      sent.addAll(lasting);
      sendAll(sender, senderFrames, conversation, after);
      Set<String> windowful = new HashSet<>();
      expiring.forEach(e -> windowful.add(e.header().messageId()));

      assertThat(itemsIn(firstFrames, WINDOW + 1, Duration.ofSeconds(8)))
          .as("pushed to a socket that acknowledges nothing: the window, then nothing")
          .containsExactlyInAnyOrderElementsOf(windowful);
      assertThat(firstClosed).as("a full window does not close the socket").isNotDone();

      first.sendClose(WebSocket.NORMAL_CLOSURE, "gone without acknowledging").get(10, SECONDS);
      LinkedBlockingQueue<JsonNode> secondFrames = new LinkedBlockingQueue<>();
      CompletableFuture<Integer> secondClosed = new CompletableFuture<>();
      second = connect(window, secondFrames, secondClosed);
      assertThat(nextOfType(secondFrames, "ready")).isNotNull();
      assertThat(itemsIn(secondFrames, WINDOW + 1, Duration.ofSeconds(8)))
          .as("the next socket: the same items again, as nothing was acknowledged")
          .containsExactlyInAnyOrderElementsOf(windowful);
      assertThat(Instant.now())
          .as("the window was seen full before its items expired (a slow machine?)")
          .isBefore(firstExpiry);

      long waitMs = Duration.between(Instant.now(), lastExpiry).toMillis() + 30_000;
      List<JsonNode> rest = items(secondFrames, lasting.size(), Duration.ofMillis(waitMs));
      // Room for the rest comes from expiry alone: once the first of the window's items expired
      // and a sweep ran (a page's worth of places must be free before the window reads on).
      assertThat(Instant.now()).as("not before the window's items expired").isAfter(firstExpiry);
      assertThat(rest.stream().map(MessagingApiIT::messageIdOf))
          .as("after the expiry sweep, the rest of the queue on the same socket, unacknowledged")
          .containsExactlyInAnyOrderElementsOf(lasting);
      assertThat(secondClosed).as("still open").isNotDone();

      ObjectNode ack = Http.JSON.createObjectNode().put("type", "ack");
      rest.forEach(item -> ack.withArray("seqs").add(item.path("item").path("seq").asLong()));
      second.sendText(Http.JSON.writeValueAsString(ack), true).get(10, SECONDS);
      JsonNode queued = null;
      for (long until = System.nanoTime() + SECONDS.toNanos(10); System.nanoTime() < until; ) {
        queued = queue(window);
        if (queued.path("items").isEmpty()) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(queued.path("items")).as("expired or acknowledged: nothing left").isEmpty();
    } finally {
      sender.abort();
      first.abort();
      if (second != null) {
        second.abort();
      }
      EnrolledDevices.revoke(carol, window.id());
      // These went to these two as well, whose first page other tests read: gone, whether this
      // test got as far as their expiry or not.
      Messaging.acknowledgeMessages(aliceLaptop, sent);
      Messaging.acknowledgeMessages(carolPhone, sent);
    }
  }

  /** Sends every envelope over the socket and waits until each is accepted. */
  private static void sendAll(
      WebSocket socket,
      LinkedBlockingQueue<JsonNode> frames,
      String conversation,
      List<EnvelopeMessage> envelopes)
      throws Exception {
    Set<String> waiting = new HashSet<>();
    for (EnvelopeMessage envelope : envelopes) {
      String requestId = envelope.header().messageId();
      sendFrame(socket, requestId, conversation, envelope);
      waiting.add(requestId);
    }
    for (long until = System.nanoTime() + SECONDS.toNanos(60);
        !waiting.isEmpty() && System.nanoTime() < until; ) {
      JsonNode answer = frames.poll(200, TimeUnit.MILLISECONDS);
      if (answer != null && waiting.contains(answer.path("requestId").asText())) {
        assertThat(answer.path("type").asText()).as(answer.toString()).isEqualTo("accepted");
        waiting.remove(answer.path("requestId").asText());
      }
    }
    assertThat(waiting).as("sends not answered within 60 s").isEmpty();
  }

  /**
   * The message ids of the item frames that arrive until {@code atMost} have or no item came for
   * {@code quiet}: a window's worth arrives quickly, and a further item would follow as quickly.
   */
  private static List<String> itemsIn(
      LinkedBlockingQueue<JsonNode> frames, int atMost, Duration quiet) throws Exception {
    List<String> ids = new ArrayList<>();
    long lastSeen = System.nanoTime();
    while (ids.size() < atMost && System.nanoTime() - lastSeen < quiet.toNanos()) {
      JsonNode frame = frames.poll(200, TimeUnit.MILLISECONDS);
      if (frame != null && "item".equals(frame.path("type").asText())) {
        ids.add(messageIdOf(frame));
        lastSeen = System.nanoTime();
      }
    }
    return ids;
  }

  /** The first {@code count} item frames, waiting at most {@code within} for them. */
  private static List<JsonNode> items(
      LinkedBlockingQueue<JsonNode> frames, int count, Duration within) throws Exception {
    List<JsonNode> items = new ArrayList<>();
    for (long until = System.nanoTime() + within.toNanos();
        items.size() < count && System.nanoTime() < until; ) {
      JsonNode frame = frames.poll(200, TimeUnit.MILLISECONDS);
      if (frame != null && "item".equals(frame.path("type").asText())) {
        items.add(frame);
      }
    }
    return items;
  }

  private static String messageIdOf(JsonNode itemFrame) {
    return itemFrame.path("item").path("envelope").path("header").path("messageId").asText();
  }

  /**
   * Writes one {@code send} frame and waits until it is written: one text frame at a time, as the
   * JDK's WebSocket refuses a send while one is pending.
   */
  private static void sendFrame(
      WebSocket socket, String requestId, String conversation, EnvelopeMessage envelope)
      throws Exception {
    ObjectNode frame =
        Http.JSON
            .createObjectNode()
            .put("type", "send")
            .put("requestId", requestId)
            .put("conversationId", conversation);
    frame.set("envelope", Http.JSON.valueToTree(envelope));
    socket.sendText(Http.JSON.writeValueAsString(frame), true).get(10, SECONDS);
  }

  /** Sends a send frame and returns the answer to it (accepted or error, by request id). */
  private static JsonNode sendOver(
      WebSocket socket,
      LinkedBlockingQueue<JsonNode> frames,
      String requestId,
      String conversation,
      EnvelopeMessage envelope)
      throws Exception {
    sendFrame(socket, requestId, conversation, envelope);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      JsonNode answer = frames.poll(200, TimeUnit.MILLISECONDS);
      if (answer != null && requestId.equals(answer.path("requestId").asText())) {
        return answer;
      }
    }
    throw new AssertionError("no answer to " + requestId);
  }

  @Test
  void aSocketWithoutAFreshTicketIsClosed() throws Exception {
    LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    hello("made-up", frames, closed);
    assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
  }

  @Test
  void aRevokedDeviceCanNeitherPostNorHoldASocket() throws Exception {
    Dev spare = enroll(bob, "bob spare");
    LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket socket = connect(spare, frames, closed);
    assertThat(nextOfType(frames, "ready")).isNotNull();

    EnrolledDevices.revoke(bob, spare.id());

    assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
    String conversation = Messaging.direct(alice, "bob");
    EnvelopeMessage fromRevoked =
        envelope(
            spare, conversation, List.of(alicePhone, aliceLaptop, bobPhone), Duration.ofDays(1), 8);
    JsonNode refused = Http.assertProblem(post(spare, conversation, fromRevoked), 403);
    assertThat(refused.path("detail").asText()).contains("revoked");
    socket.abort();
  }

  @Test
  void aSocketResumesOnceWithItsReadyTicketAndTheResumedSocketDelivers() throws Exception {
    LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    WebSocket first = connect(carolPhone, frames);
    String ticket = resumptionTicket(nextOfType(frames, "ready"));
    first.sendClose(WebSocket.NORMAL_CLOSURE, "network change").get(10, TimeUnit.SECONDS);

    LinkedBlockingQueue<JsonNode> resumedFrames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> resumedClosed = new CompletableFuture<>();
    WebSocket resumed = hello(ticket, resumedFrames, resumedClosed);
    String next = resumptionTicket(nextOfType(resumedFrames, "ready"));
    assertThat(next).isNotEqualTo(ticket);
    try {
      // Registered like any socket: an envelope for carol's phone is pushed to it.
      String conversation = Messaging.direct(alice, "carol");
      EnvelopeMessage sent =
          envelope(
              alicePhone, conversation, List.of(aliceLaptop, carolPhone), Duration.ofDays(1), 8);
      HttpResponse<String> posted = post(alicePhone, conversation, sent);
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
      assertThat(nextItemFor(resumedFrames, sent.header().messageId()))
          .as("item pushed to the resumed socket")
          .isNotNull();
    } finally {
      resumed.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }

  @Test
  void aSpentResumptionTicketPresentedAgainEndsItsChainUntilTheDeviceProvesItselfAgain()
      throws Exception {
    LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    WebSocket first = connect(carolPhone, frames);
    String copied = resumptionTicket(nextOfType(frames, "ready"));
    first.sendClose(WebSocket.NORMAL_CLOSURE, "network change").get(10, TimeUnit.SECONDS);
    LinkedBlockingQueue<JsonNode> resumedFrames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> resumedClosed = new CompletableFuture<>();
    WebSocket resumed = hello(copied, resumedFrames, resumedClosed);
    String next = resumptionTicket(nextOfType(resumedFrames, "ready"));

    // The same ticket again: whoever presents it, two parties hold it.
    LinkedBlockingQueue<JsonNode> replayFrames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> replayClosed = new CompletableFuture<>();
    WebSocket replay = hello(copied, replayFrames, replayClosed);

    assertThat(replayClosed.get(10, TimeUnit.SECONDS)).as("the replay").isEqualTo(1008);
    assertThat(replayFrames).noneMatch(f -> "ready".equals(f.path("type").asText()));
    assertThat(resumedClosed.get(10, TimeUnit.SECONDS))
        .as("the socket the first presentation opened, which may be the thief's")
        .isEqualTo(1008);
    replay.abort();
    resumed.abort();
    LinkedBlockingQueue<JsonNode> successorFrames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> successorClosed = new CompletableFuture<>();
    WebSocket successor = hello(next, successorFrames, successorClosed);
    assertThat(successorClosed.get(10, TimeUnit.SECONDS))
        .as("the chain's outstanding ticket")
        .isEqualTo(1008);
    assertThat(successorFrames).noneMatch(f -> "ready".equals(f.path("type").asText()));
    successor.abort();

    // The device itself comes back through the proved path, as a new chain.
    LinkedBlockingQueue<JsonNode> provedFrames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> provedClosed = new CompletableFuture<>();
    WebSocket proved = connect(carolPhone, provedFrames, provedClosed);
    try {
      String fresh = resumptionTicket(nextOfType(provedFrames, "ready"));
      assertThat(fresh).isNotIn(copied, next);
      assertThat(provedClosed).isNotDone();
    } finally {
      proved.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }

  @Test
  void aRevokedDevicesResumedSocketIsClosedAndItsTicketRefused() throws Exception {
    Dev spare = enroll(carol, "carol spare");
    LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    WebSocket first = connect(spare, frames);
    String ticket = resumptionTicket(nextOfType(frames, "ready"));
    first.abort();
    LinkedBlockingQueue<JsonNode> resumedFrames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> resumedClosed = new CompletableFuture<>();
    WebSocket resumed = hello(ticket, resumedFrames, resumedClosed);
    String next = resumptionTicket(nextOfType(resumedFrames, "ready"));

    EnrolledDevices.revoke(carol, spare.id());

    assertThat(resumedClosed.get(10, TimeUnit.SECONDS)).as("resumed socket").isEqualTo(1008);
    resumed.abort();
    LinkedBlockingQueue<JsonNode> afterFrames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> afterClosed = new CompletableFuture<>();
    WebSocket after = hello(next, afterFrames, afterClosed);
    assertThat(afterClosed.get(10, TimeUnit.SECONDS)).as("revoked device's ticket").isEqualTo(1008);
    assertThat(afterFrames).noneMatch(f -> "ready".equals(f.path("type").asText()));
    after.abort();
  }

  @Test
  void everyEndpointWantsAToken() throws Exception {
    String someId = UUID.randomUUID().toString();
    for (String[] call :
        new String[][] {
          {"GET", "/api/v1/conversations"},
          {"POST", "/api/v1/conversations"},
          {"GET", "/api/v1/conversations/" + someId},
          {"PATCH", "/api/v1/conversations/" + someId},
          {"POST", "/api/v1/conversations/" + someId + "/members"},
          {"DELETE", "/api/v1/conversations/" + someId + "/members/x"},
          {"POST", "/api/v1/conversations/" + someId + "/recipients"},
          {"POST", "/api/v1/conversations/" + someId + "/messages"},
          {"GET", "/api/v1/devices/" + someId + "/queue"},
          {"POST", "/api/v1/devices/" + someId + "/queue/acknowledgements"},
          {"POST", "/api/v1/devices/" + someId + "/socket-tickets"},
          {"GET", "/api/v1/directory/devices/" + someId},
        }) {
      HttpResponse<String> response =
          Http.send(
              Http.request(call[1])
                  .header("Content-Type", "application/json")
                  .method(call[0], HttpRequest.BodyPublishers.ofString("{}")));
      assertThat(response.statusCode()).as(call[0] + " " + call[1]).isEqualTo(401);
    }
    // Alice's proof cannot read bob's queue.
    HttpResponse<String> foreignQueue =
        Http.send(
            alicePhone.request(
                "GET",
                "/api/v1/devices/" + bobPhone.id() + "/queue",
                null,
                alicePhone.proof("GET", "/api/v1/devices/" + bobPhone.id() + "/queue")));
    Http.assertProblem(foreignQueue, 404);
  }
}
