package io.redoubt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One socket set-up over a blocking TLS socket with a hand-written WebSocket upgrade (RFC 6455):
 * connect, TLS handshake, upgrade, {@code hello} with a ticket, read frames until {@code ready},
 * close. The load tool's set-up phase uses it instead of the JDK's asynchronous WebSocket client,
 * whose machinery cost more CPU per set-up than the server's side, on the same two cores; and it
 * sees the TLS session, so it can tell a resumed handshake from a full one.
 */
final class BareSocketSetup {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a set-up gave: the next resumption ticket, and whether TLS resumed a session. */
  record Result(String resumption, boolean tlsResumed) {}

  private final SSLContext tls;
  private final URI socketUri;
  private final String[] protocols;

  /**
   * @param socketUri the server's {@code wss://host:port/ws}
   * @param protocols the TLS versions to offer
   */
  BareSocketSetup(SSLContext tls, URI socketUri, String... protocols) {
    this.tls = tls;
    this.socketUri = socketUri;
    this.protocols = protocols.clone();
  }

  /**
   * Opens a socket, says hello with {@code ticket} and waits for {@code ready}.
   *
   * @throws IOException when the connection fails or the server answers with anything but ready
   */
  Result open(String ticket) throws IOException {
    int port = socketUri.getPort();
    try (SSLSocket socket =
        (SSLSocket) tls.getSocketFactory().createSocket(socketUri.getHost(), port)) {
      socket.setSoTimeout(30_000);
      socket.setTcpNoDelay(true);
      socket.setEnabledProtocols(protocols);
      long before = System.currentTimeMillis();
      socket.startHandshake();
      // A resumed session was created by an earlier connection.
      boolean resumed = socket.getSession().getCreationTime() < before;
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] key = new byte[16];
      ThreadLocalRandom.current().nextBytes(key);
      out.write(
          ("GET "
                  + socketUri.getRawPath()
                  + " HTTP/1.1\r\nHost: "
                  + socketUri.getHost()
                  + ":"
                  + port
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                  + Base64.getEncoder().encodeToString(key)
                  + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(maskedText("{\"type\":\"hello\",\"ticket\":\"" + ticket + "\"}"));
      out.flush();
      String status = responseHead(in);
      if (!status.startsWith("HTTP/1.1 101")) {
        throw new IOException("upgrade refused: " + status);
      }
      while (true) {
        JsonNode frame = JSON.readTree(nextTextFrame(in));
        String type = frame.path("type").asText();
        if ("ready".equals(type)) {
          closeCleanly(out, in);
          return new Result(frame.path("ticket").asText(null), resumed);
        }
        if ("error".equals(type)) {
          throw new IOException("hello refused: " + frame);
        }
      }
    }
  }

  /**
   * Ends the socket as a client that is done with it: a WebSocket close (1000), then waits for the
   * server's close frame, after which the server ends TLS with close_notify. A connection dropped
   * without it costs the next set-up a full TLS handshake: the server forgets the TLS session of a
   * connection that was cut.
   */
  private static void closeCleanly(OutputStream out, InputStream in) throws IOException {
    out.write(masked((byte) 0x88, new byte[] {0x03, (byte) 0xe8}));
    out.flush();
    try {
      while (true) {
        nextTextFrame(in);
      }
    } catch (ClosedByServer expected) {
      // the server's close frame
    }
  }

  /** The server's close frame. */
  private static final class ClosedByServer extends IOException {
    ClosedByServer(String reason) {
      super("closed by the server: " + reason);
    }
  }

  /** The status line, after reading the whole response head. */
  private static String responseHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed during the upgrade");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    return text.substring(0, text.indexOf('\r'));
  }

  /** The payload of the next text frame; control frames are skipped, a close ends it. */
  private static String nextTextFrame(InputStream in) throws IOException {
    while (true) {
      int first = readByte(in);
      int second = readByte(in);
      long length = second & 0x7f;
      if (length == 126) {
        length = (readByte(in) << 8) | readByte(in);
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | readByte(in);
        }
      }
      if (length > 1 << 20) {
        throw new IOException("frame too long for a set-up: " + length);
      }
      byte[] payload = in.readNBytes((int) length);
      if (payload.length < length) {
        throw new EOFException("connection closed inside a frame");
      }
      int opcode = first & 0x0f;
      if (opcode == 0x8) {
        throw new ClosedByServer(
            new String(
                payload,
                Math.min(2, payload.length),
                Math.max(0, payload.length - 2),
                StandardCharsets.UTF_8));
      }
      if (opcode == 0x1) {
        return new String(payload, StandardCharsets.UTF_8);
      }
    }
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("connection closed");
    }
    return b;
  }

  /** A final text frame from a client, masked as RFC 6455 requires. */
  private static byte[] maskedText(String text) {
    return masked((byte) 0x81, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A final client frame of the given first byte (FIN and opcode), masked. */
  private static byte[] masked(byte finAndOpcode, byte[] payload) {
    if (payload.length > 0xffff) {
      throw new IllegalArgumentException("set-up frames are short");
    }
    int header = payload.length < 126 ? 2 : 4;
    byte[] frame = Arrays.copyOf(new byte[] {finAndOpcode}, header + 4 + payload.length);
    if (header == 2) {
      frame[1] = (byte) (0x80 | payload.length);
    } else {
      frame[1] = (byte) (0x80 | 126);
      frame[2] = (byte) (payload.length >> 8);
      frame[3] = (byte) payload.length;
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    System.arraycopy(mask, 0, frame, header, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[header + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    return frame;
  }
}
