package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.it.Messaging.Dev;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Raw device sockets ({@code /ws}) for the black-box suites: opened with a REST ticket or any
 * ticket as it is, their frames collected in a queue and their close code in a future, so that a
 * test sees exactly what the server sent.
 */
final class Sockets {

  private Sockets() {}

  static URI socketUri() {
    return URI.create(Lab.SERVER.toString().replaceFirst("^https", "wss") + "/ws");
  }

  static WebSocket connect(Dev device, LinkedBlockingQueue<JsonNode> frames) throws Exception {
    return connect(device, frames, new CompletableFuture<>());
  }

  static WebSocket connect(
      Dev device, LinkedBlockingQueue<JsonNode> frames, CompletableFuture<Integer> closed)
      throws Exception {
    HttpResponse<String> ticket =
        device.call("POST", "/api/v1/devices/" + device.id() + "/socket-tickets", null);
    assertThat(ticket.statusCode()).as(ticket.body()).isEqualTo(200);
    return hello(Http.JSON.readTree(ticket.body()).path("ticket").asText(), frames, closed);
  }

  /** A new socket whose first frame is hello with {@code ticket}, as it is, without REST. */
  static WebSocket hello(
      String ticket, LinkedBlockingQueue<JsonNode> frames, CompletableFuture<Integer> closed)
      throws Exception {
    WebSocket socket =
        HttpClient.newBuilder()
            .sslContext(Lab.tls())
            .build()
            .newWebSocketBuilder()
            .buildAsync(socketUri(), listener(frames, closed))
            .get(10, TimeUnit.SECONDS);
    socket
        .sendText("{\"type\":\"hello\",\"ticket\":\"" + ticket + "\"}", true)
        .get(10, TimeUnit.SECONDS);
    return socket;
  }

  /** The resumption ticket of a {@code ready} frame, which must carry one. */
  static String resumptionTicket(JsonNode ready) {
    assertThat(ready).as("ready").isNotNull();
    String ticket = ready.path("ticket").asText("");
    assertThat(ticket).as("ready carries a resumption ticket").matches("[A-Za-z0-9_-]{43}");
    return ticket;
  }

  static WebSocket.Listener listener(
      LinkedBlockingQueue<JsonNode> frames, CompletableFuture<Integer> closed) {
    return new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          try {
            frames.add(Http.JSON.readTree(partial.toString()));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          partial.setLength(0);
        }
        socket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
      }
    };
  }

  static JsonNode nextOfType(LinkedBlockingQueue<JsonNode> frames, String type)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JsonNode frame = frames.poll(200, TimeUnit.MILLISECONDS);
      if (frame != null && type.equals(frame.path("type").asText())) {
        return frame;
      }
    }
    return null;
  }

  static JsonNode nextItemFor(LinkedBlockingQueue<JsonNode> frames, String messageId)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JsonNode frame = frames.poll(200, TimeUnit.MILLISECONDS);
      if (frame != null
          && messageId.equals(
              frame.path("item").path("envelope").path("header").path("messageId").asText())) {
        return frame;
      }
    }
    return null;
  }
}
