package io.redoubt.client.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.redoubt.protocol.api.AcknowledgementRequest;
import io.redoubt.protocol.api.ConversationRecipientsResponse;
import io.redoubt.protocol.api.ConversationResponse;
import io.redoubt.protocol.api.DirectoryResponse;
import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.api.MessageAccepted;
import io.redoubt.protocol.api.QueueItem;
import io.redoubt.protocol.api.QueueResponse;
import io.redoubt.protocol.auth.RequestProof;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The messaging endpoints of a server, in memory over plain HTTP, doing what the tests tell it: the
 * recipient answer per asking device, envelopes kept as posted, queues filled by the test. It
 * checks every device proof against the registered device's key, as the real server does, and
 * answers 401 otherwise.
 */
final class FakeMessagingServer implements AutoCloseable {

  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  static final String TOKEN = "header.payload.signature";

  private final HttpServer server;
  final Map<UUID, ECPublicKey> deviceKeys = new HashMap<>();
  final Map<UUID, RecipientsAnswer> recipients = new HashMap<>();
  final Map<UUID, DirectoryResponse> directory = new HashMap<>();
  final Map<UUID, List<QueueItem>> queues = new HashMap<>();
  final List<EnvelopeMessage> posted = new ArrayList<>();
  final AtomicInteger recipientCalls = new AtomicInteger();
  final AtomicInteger refusalsLeft = new AtomicInteger();

  /** Posts refused with 429 before any is taken, and the Retry-After they carry. */
  final AtomicInteger rateLimitsLeft = new AtomicInteger();

  volatile String retryAfter = "1";
  final AtomicInteger badProofs = new AtomicInteger();
  private long seq;

  /** The recipient answer a device gets; called on every fetch (so claims can be fresh). */
  @FunctionalInterface
  interface RecipientsAnswer {
    ConversationRecipientsResponse answer() throws Exception;
  }

  FakeMessagingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Puts an envelope into a device's queue. */
  synchronized void deliver(UUID deviceId, EnvelopeMessage envelope) {
    queues
        .computeIfAbsent(deviceId, d -> new ArrayList<>())
        .add(new QueueItem(++seq, "envelope", Instant.now().toString(), envelope, null));
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      String[] parts = path.substring("/api/v1/".length()).split("/");
      if (parts[0].equals("conversations") && parts.length == 2 && method.equals("GET")) {
        reply(
            exchange,
            200,
            new ConversationResponse(
                parts[1], "direct", null, Instant.now().toString(), 3600, 86400, List.of()));
        return;
      }
      if (parts[0].equals("directory") && parts[1].equals("devices")) {
        DirectoryResponse answer = directory.get(UUID.fromString(parts[2]));
        reply(exchange, answer == null ? 404 : 200, answer == null ? problem(404) : answer);
        return;
      }
      UUID device = provedDevice(exchange, method, path);
      if (device == null) {
        badProofs.incrementAndGet();
        reply(exchange, 401, problem(401));
        return;
      }
      if (parts[0].equals("conversations") && parts[2].equals("recipients")) {
        recipientCalls.incrementAndGet();
        reply(exchange, 200, recipients.get(device).answer());
      } else if (parts[0].equals("conversations") && parts[2].equals("messages")) {
        EnvelopeMessage envelope = JSON.readValue(exchange.getRequestBody(), EnvelopeMessage.class);
        posted.add(envelope);
        if (rateLimitsLeft.getAndDecrement() > 0) {
          exchange.getResponseHeaders().add("Retry-After", retryAfter);
          reply(exchange, 429, problem(429));
        } else if (refusalsLeft.getAndDecrement() > 0) {
          reply(exchange, 409, problem(409));
        } else {
          reply(
              exchange,
              201,
              new MessageAccepted(
                  envelope.header().messageId(),
                  Instant.now().toString(),
                  Instant.ofEpochMilli(envelope.header().expiresAt()).toString(),
                  envelope.recipients().size()));
        }
      } else if (parts[0].equals("devices") && parts.length == 3 && parts[2].equals("queue")) {
        reply(
            exchange,
            200,
            new QueueResponse(List.copyOf(queues.getOrDefault(device, List.of())), false));
      } else if (parts[0].equals("devices") && parts[3].equals("acknowledgements")) {
        var acks = JSON.readValue(exchange.getRequestBody(), AcknowledgementRequest.class);
        queues.getOrDefault(device, new ArrayList<>()).removeIf(i -> acks.seqs().contains(i.seq()));
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
      } else {
        reply(exchange, 404, problem(404));
      }
    } catch (Exception e) {
      reply(exchange, 500, Map.of("title", String.valueOf(e)));
    }
  }

  /** The device whose proof signs this request with this token, or null. */
  private UUID provedDevice(HttpExchange exchange, String method, String path) {
    try {
      RequestProof proof =
          RequestProof.parse(exchange.getRequestHeaders().getFirst(RequestProof.HEADER));
      ECPublicKey key = deviceKeys.get(proof.deviceId());
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (key == null
          || !("Bearer " + TOKEN).equals(authorization)
          || !proof.signatureValidUnder(key, method, path, TOKEN)) {
        return null;
      }
      return proof.deviceId();
    } catch (Exception e) {
      return null;
    }
  }

  private static Map<String, Object> problem(int status) {
    return Map.of("type", "urn:redoubt:problem:test", "title", "HTTP " + status, "status", status);
  }

  private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
