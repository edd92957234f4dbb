package io.redoubt.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.ByteQueue;
import org.bouncycastle.tls.ByteQueueOutputStream;
import org.bouncycastle.tls.TlsProtocol;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LeanJsseProviderTest {

  /** Bouncy Castle's JSSE provider, over the lean crypto as in the server. */
  private static Provider bouncyCastle;

  private static final Provider LEAN = new LeanJsseProvider();

  @BeforeAll
  static void installBouncyCastleJsse() {
    bouncyCastle = Security.getProvider(LeanSslContext.BOUNCY_CASTLE_JSSE);
    if (bouncyCastle == null) {
      bouncyCastle = new BouncyCastleJsseProvider(true, new LeanTlsCryptoProvider());
      Security.addProvider(bouncyCastle);
    }
  }

  @Test
  void theProviderOffersBouncyCastleContextsWithLeanEngines() throws Exception {
    for (String protocol : LeanJsseProvider.PROTOCOLS) {
      SSLContext context = SSLContext.getInstance(protocol, LEAN);
      context.init(null, null, null);

      SSLEngine engine = context.createSSLEngine("peer.example", 443);

      assertThat(context.getProvider().getName()).isEqualTo("RedoubtJSSE");
      assertThat(engine).isInstanceOf(LeanSslEngine.class);
      assertThat(((LeanSslEngine) engine).bouncyCastleEngine().getClass().getName())
          .startsWith("org.bouncycastle.jsse.provider.");
      assertThat(engine.getPeerHost()).isEqualTo("peer.example");
      assertThat(engine.getPeerPort()).isEqualTo(443);
    }
  }

  @Test
  void anEngineGivesBackItsBuffersOnceTheyAreEmpty() throws Exception {
    assertThat(EngineBuffers.available()).isTrue();
    Pair pair = new Pair(TestTls.serverContext(bouncyCastle, LEAN), "TLSv1.3");
    pair.handshake();

    // Records of 16 KB each way: each queue grows to 32 KB while it holds one.
    byte[] up = pair.clientToServer(40_000);
    byte[] down = pair.serverToClient(40_000);

    assertThat(up).isEqualTo(pair.lastSentByClient);
    assertThat(down).isEqualTo(pair.lastSentByServer);
    assertThat(retainedBytes(pair.serverBouncyCastleEngine())).isZero();
  }

  @Test
  void bouncyCastlesOwnEngineKeepsThem() throws Exception {
    // The comparison that shows the test above can fail: the same exchange without the wrapper.
    Pair pair = new Pair(TestTls.serverContext(bouncyCastle), "TLSv1.3");
    pair.handshake();

    pair.clientToServer(40_000);
    pair.serverToClient(40_000);

    assertThat(retainedBytes(pair.serverBouncyCastleEngine())).isGreaterThanOrEqualTo(32_768);
  }

  @Test
  void dataOfEverySizeArrivesIntactAfterReleases() throws Exception {
    Pair pair = new Pair(TestTls.serverContext(bouncyCastle, LEAN), "TLSv1.2");
    pair.handshake();

    for (int size : new int[] {1, 100, 16_384, 16_385, 5, 70_000, 2}) {
      assertThat(pair.clientToServer(size))
          .as("%d bytes up", size)
          .isEqualTo(pair.lastSentByClient);
      assertThat(pair.serverToClient(size))
          .as("%d bytes down", size)
          .isEqualTo(pair.lastSentByServer);
    }
    assertThat(retainedBytes(pair.serverBouncyCastleEngine())).isZero();
  }

  @Test
  void tls12SessionsResumeThroughLeanEngines() throws Exception {
    SSLContext server = TestTls.serverContext(bouncyCastle, LEAN);
    SSLContext client = TestTls.clientContext();

    Pair first = new Pair(server, client, "TLSv1.2");
    first.handshake();
    Pair second = new Pair(server, client, "TLSv1.2");
    second.handshake();

    assertThat(second.server.getSession().getId())
        .as("the second connection resumed the first's session")
        .isEqualTo(first.server.getSession().getId());
  }

  @Test
  void anAlpnSelectorSeesTheLeanEngine() throws Exception {
    Pair pair = new Pair(TestTls.serverContext(bouncyCastle, LEAN), "TLSv1.3");
    List<SSLEngine> asked = new ArrayList<>();
    pair.server.setHandshakeApplicationProtocolSelector(
        (engine, offered) -> {
          asked.add(engine);
          return offered.contains("http/1.1") ? "http/1.1" : null;
        });
    SSLParameters offering = pair.client.getSSLParameters();
    offering.setApplicationProtocols(new String[] {"h2", "http/1.1"});
    pair.client.setSSLParameters(offering);

    pair.handshake();

    assertThat(asked).containsExactly(pair.server);
    assertThat(pair.server.getApplicationProtocol()).isEqualTo("http/1.1");
    assertThat(pair.client.getApplicationProtocol()).isEqualTo("http/1.1");
    assertThat(pair.server.getHandshakeApplicationProtocolSelector()).isNotNull();
  }

  /**
   * The bytes Bouncy Castle's engine holds in its application-data and outbound-record queues,
   * empty or not.
   */
  private static int retainedBytes(SSLEngine bouncyCastleEngine) throws Exception {
    TlsProtocol protocol = (TlsProtocol) field(bouncyCastleEngine, "protocol");
    ByteQueue applicationData = (ByteQueue) field(protocol, "applicationDataQueue");
    ByteQueue output = ((ByteQueueOutputStream) field(protocol, "outputBuffer")).getBuffer();
    return ((byte[]) field(applicationData, "databuf")).length
        + ((byte[]) field(output, "databuf")).length;
  }

  private static Object field(Object target, String name) throws Exception {
    for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
      try {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
      } catch (NoSuchFieldException e) {
        // declared higher up
      }
    }
    throw new NoSuchFieldException(name);
  }

  /** A client and a server engine joined in memory. */
  private static final class Pair {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    private final Random random = new Random(7);
    final SSLEngine client;
    final SSLEngine server;
    private final ByteBuffer toServer = ByteBuffer.allocate(1 << 18);
    private final ByteBuffer toClient = ByteBuffer.allocate(1 << 18);
    byte[] lastSentByClient;
    byte[] lastSentByServer;

    Pair(SSLContext serverContext, String protocol) throws Exception {
      this(serverContext, TestTls.clientContext(), protocol);
    }

    Pair(SSLContext serverContext, SSLContext clientContext, String protocol) {
      server = serverContext.createSSLEngine();
      server.setUseClientMode(false);
      // By name and port: the client looks its sessions up by them.
      client = clientContext.createSSLEngine("localhost", 8443);
      client.setUseClientMode(true);
      client.setEnabledProtocols(new String[] {protocol});
    }

    SSLEngine serverBouncyCastleEngine() {
      return server instanceof LeanSslEngine lean ? lean.bouncyCastleEngine() : server;
    }

    void handshake() throws Exception {
      client.beginHandshake();
      server.beginHandshake();
      ByteBuffer ignored = ByteBuffer.allocate(1 << 17);
      for (int step = 0; step < 100 && (busy(client) || busy(server)); step++) {
        step(client, toClient, toServer, ignored);
        step(server, toServer, toClient, ignored);
      }
      assertThat(busy(client) || busy(server)).as("handshake finished").isFalse();
      assertThat(ignored.position()).isZero();
    }

    private static boolean busy(SSLEngine engine) {
      HandshakeStatus status = engine.getHandshakeStatus();
      return status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer data)
        throws Exception {
      switch (engine.getHandshakeStatus()) {
        case NEED_WRAP -> engine.wrap(NOTHING, out);
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          in.flip();
          engine.unwrap(in, data);
          in.compact();
        }
        case NEED_TASK -> {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
        }
        default -> {}
      }
    }

    byte[] clientToServer(int size) throws Exception {
      lastSentByClient = bytes(size);
      return carry(lastSentByClient, client, toServer, server);
    }

    byte[] serverToClient(int size) throws Exception {
      lastSentByServer = bytes(size);
      return carry(lastSentByServer, server, toClient, client);
    }

    private byte[] bytes(int size) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      return data;
    }

    /** Seals {@code data} record by record and opens each at the other end. */
    private static byte[] carry(byte[] data, SSLEngine from, ByteBuffer wire, SSLEngine to)
        throws Exception {
      ByteBuffer source = ByteBuffer.wrap(data);
      ByteBuffer received = ByteBuffer.allocate(data.length + (1 << 15));
      while (source.hasRemaining()) {
        SSLEngineResult sealed = from.wrap(source, wire);
        assertThat(sealed.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
        wire.flip();
        while (wire.hasRemaining()) {
          SSLEngineResult opened = to.unwrap(wire, received);
          assertThat(opened.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
        }
        wire.compact();
      }
      return Arrays.copyOf(received.array(), received.position());
    }
  }
}
