package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.client.AccessToken;
import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.auth.RequestProof;
import io.redoubt.protocol.crypto.EcdsaP384;
import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.crypto.SealedContent;
import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.EnvelopeHeader;
import io.redoubt.protocol.envelope.RecipientEntry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Devices, envelopes and queues over the messaging API for the black-box suites: enrolled devices
 * that make proved requests, well-formed signed envelopes whose content is random bytes (the server
 * must never need more), queue pages.
 */
final class Messaging {

  private Messaging() {}

  /** An enrolled device with the token of its user, making proved requests. */
  record Dev(AccessToken token, EnrolledDevices.Enrolled enrolled, String userId) {
    UUID id() {
      return enrolled.deviceId();
    }

    HttpResponse<String> call(String method, String path, String json) throws Exception {
      return Http.send(request(method, path, json, proof(method, path)));
    }

    /** A proof for {@code path}; the query, if any, is not part of what is signed. */
    String proof(String method, String path) throws Exception {
      return RequestProof.sign(
              id(),
              method,
              path.split("\\?", 2)[0],
              token.value(),
              enrolled.keys().identityKey(),
              Instant.now(),
              FipsModule.random())
          .headerValue();
    }

    HttpRequest.Builder request(String method, String path, String json, String proof) {
      HttpRequest.Builder request =
          Http.request(path)
              .header("Authorization", token.authorization())
              .method(
                  method,
                  json == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(json));
      if (json != null) {
        request.header("Content-Type", "application/json");
      }
      if (proof != null) {
        request.header(RequestProof.HEADER, proof);
      }
      return request;
    }

    HttpResponse<String> call(URI server, String method, String path, String json)
        throws Exception {
      return Http.send(request(method, path, json, proof(method, path)).uri(server.resolve(path)));
    }
  }

  /** Asks for the direct conversation of {@code token}'s user with {@code with}: the raw answer. */
  static HttpResponse<String> createDirect(AccessToken token, String with) throws Exception {
    return Http.send(
        Http.request("/api/v1/conversations")
            .header("Authorization", token.authorization())
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"kind\":\"direct\",\"with\":\"" + with + "\"}")));
  }

  /** The direct conversation of {@code token}'s user with {@code with}, made if need be. */
  static String direct(AccessToken token, String with) throws Exception {
    HttpResponse<String> made = createDirect(token, with);
    assertThat(made.statusCode()).as(made.body()).isIn(200, 201);
    return Http.JSON.readTree(made.body()).path("id").asText();
  }

  static Dev enroll(AccessToken token, String name) throws Exception {
    EnrolledDevices.Enrolled enrolled = EnrolledDevices.enroll(token, name);
    JsonNode me = Http.JSON.readTree(Http.get("/api/v1/me", token.value()).body());
    return new Dev(token, enrolled, me.path("userId").asText());
  }

  /** A signed envelope from {@code sender} to {@code recipients}, content random. */
  static EnvelopeMessage envelope(
      Dev sender, String conversationId, List<Dev> recipients, Duration lifetime, int contentBytes)
      throws Exception {
    return envelope(
        sender, UUID.randomUUID(), conversationId, ids(recipients), lifetime, contentBytes);
  }

  static List<UUID> ids(List<Dev> devices) {
    return devices.stream().map(Dev::id).toList();
  }

  static EnvelopeMessage envelope(
      Dev sender,
      UUID messageId,
      String conversationId,
      List<UUID> recipients,
      Duration lifetime,
      int contentBytes)
      throws Exception {
    return envelope(
        sender, messageId, conversationId, recipients, lifetime, contentBytes, List.of());
  }

  /** As above, the header naming {@code attachments} (blob ids). */
  static EnvelopeMessage envelope(
      Dev sender,
      UUID messageId,
      String conversationId,
      List<UUID> recipients,
      Duration lifetime,
      int contentBytes,
      List<UUID> attachments)
      throws Exception {
    Instant now = Instant.now();
    EnvelopeHeader header =
        new EnvelopeHeader(
            1,
            UUID.fromString(conversationId),
            messageId,
            sender.userId(),
            sender.id(),
            now,
            now.plus(lifetime),
            false,
            "text/plain; charset=utf-8",
            attachments);
    SealedContent content = new SealedContent(random(12), random(contentBytes + 16));
    List<RecipientEntry> entries = new ArrayList<>();
    for (UUID recipient : recipients.stream().sorted(Envelope.RECIPIENT_ORDER).toList()) {
      entries.add(new RecipientEntry(recipient, 1, random(97), random(48)));
    }
    byte[] signature =
        EcdsaP384.sign(
            sender.enrolled().keys().identityKey(),
            Envelope.toBeSigned(header.hash(), content, entries));
    return EnvelopeMessage.of(new Envelope(header, content, entries, signature));
  }

  static byte[] random(int length) {
    byte[] bytes = new byte[length];
    byte[] chunk = new byte[16 * 1024]; // the FIPS DRBG gives at most 32 KiB per request
    for (int from = 0; from < length; from += chunk.length) {
      FipsModule.random().nextBytes(chunk);
      System.arraycopy(chunk, 0, bytes, from, Math.min(chunk.length, length - from));
    }
    return bytes;
  }

  static HttpResponse<String> post(Dev sender, String conversationId, Object body)
      throws Exception {
    return sender.call(
        "POST",
        "/api/v1/conversations/" + conversationId + "/messages",
        body instanceof String text ? text : Http.JSON.writeValueAsString(body));
  }

  static JsonNode queue(Dev device) throws Exception {
    HttpResponse<String> page =
        device.call("GET", "/api/v1/devices/" + device.id() + "/queue", null);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    return Http.JSON.readTree(page.body());
  }

  static List<JsonNode> envelopesIn(JsonNode page, String messageId) {
    List<JsonNode> found = new ArrayList<>();
    page.path("items")
        .forEach(
            item -> {
              if (messageId.equals(
                  item.path("envelope").path("header").path("messageId").asText())) {
                found.add(item);
              }
            });
    return found;
  }

  static void acknowledge(Dev device, List<Long> seqs) throws Exception {
    HttpResponse<String> ack =
        device.call(
            "POST",
            "/api/v1/devices/" + device.id() + "/queue/acknowledgements",
            Http.JSON.writeValueAsString(java.util.Map.of("seqs", seqs)));
    assertThat(ack.statusCode()).as(ack.body()).isEqualTo(204);
  }

  /**
   * Acknowledges over REST whatever the device's queue holds of {@code messageIds}, however deep in
   * the queue: a test that leaves long-lived items in a shared device's queue clears them, so that
   * the first page of that queue stays what other tests read.
   */
  static void acknowledgeMessages(Dev device, java.util.Set<String> messageIds) throws Exception {
    List<Long> seqs = new ArrayList<>();
    long after = 0;
    boolean more = true;
    while (more) {
      HttpResponse<String> answer =
          device.call(
              "GET",
              "/api/v1/devices/" + device.id() + "/queue?after=" + after + "&limit=500",
              null);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      JsonNode page = Http.JSON.readTree(answer.body());
      for (JsonNode item : page.path("items")) {
        after = Math.max(after, item.path("seq").asLong());
        if (messageIds.contains(item.path("envelope").path("header").path("messageId").asText())) {
          seqs.add(item.path("seq").asLong());
        }
      }
      more = page.path("more").asBoolean() && !page.path("items").isEmpty();
    }
    for (int from = 0; from < seqs.size(); from += 500) {
      acknowledge(device, seqs.subList(from, Math.min(seqs.size(), from + 500)));
    }
  }
}
