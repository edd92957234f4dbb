package io.redoubt.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsNonceGenerator;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LeanTlsCryptoProviderTest {

  private static ExecutorService server;

  @BeforeAll
  static void serverThread() {
    // The FIPS provider first: the JSSE provider made by name below looks it up.
    assertThat(TestTls.FIPS).isNotNull();
    server = Executors.newSingleThreadExecutor();
  }

  @AfterAll
  static void stopServer() {
    server.shutdownNow();
  }

  @Test
  void theJsseProviderTakesItByClassNameAsJavaSecurityNamesIt() throws Exception {
    Provider jsse = new BouncyCastleJsseProvider("fips:" + LeanTlsCryptoProvider.class.getName());

    List<String> sessions = handshakes(TestTls.serverContext(jsse), "TLSv1.3", 2);

    assertThat(sessions).hasSize(2).doesNotContainNull();
  }

  @Test
  void serverConnectionsUseTheLeanCrypto() throws Exception {
    RecordingProvider crypto = new RecordingProvider();

    handshakes(TestTls.serverContext(new BouncyCastleJsseProvider(true, crypto)), "TLSv1.3", 1);

    assertThat(crypto.created).isNotEmpty().allMatch(LeanTlsCrypto.class::isInstance);
  }

  @Test
  void tls12SessionsStillResume() throws Exception {
    SSLContext context =
        TestTls.serverContext(new BouncyCastleJsseProvider(true, new RecordingProvider()));

    List<String> sessions = handshakes(context, "TLSv1.2", 3);

    assertThat(sessions).hasSize(3);
    assertThat(Set.copyOf(sessions)).as("one session, resumed by the later connections").hasSize(1);
  }

  @Test
  void noncesDifferAcrossConnectionsAndCalls() {
    TlsCrypto crypto = new LeanTlsCryptoProvider().create(new SecureRandom());
    Set<String> seen = new HashSet<>();
    for (int connection = 0; connection < 50; connection++) {
      // Bouncy Castle's seed material differs per connection; the same for two connections must
      // still not repeat nonces.
      TlsNonceGenerator nonces = crypto.createNonceGenerator(new byte[16]);
      for (int call = 0; call < 20; call++) {
        byte[] nonce = nonces.generateNonce(32);
        assertThat(nonce).hasSize(32);
        assertThat(seen.add(HexFormat.of().formatHex(nonce))).isTrue();
      }
    }
    assertThat(seen).hasSize(1_000);
  }

  /**
   * Records the cryptos the JSSE provider made, so a test can see which one its connections use.
   */
  private static final class RecordingProvider extends LeanTlsCryptoProvider {
    final List<JcaTlsCrypto> created = new ArrayList<>();

    @Override
    public synchronized JcaTlsCrypto create(SecureRandom keyRandom, SecureRandom nonceRandom) {
      JcaTlsCrypto crypto = super.create(keyRandom, nonceRandom);
      created.add(crypto);
      return crypto;
    }
  }

  /**
   * {@code count} connections in turn from one client context to a server on {@code serverContext},
   * each exchanging a byte: the session id each client saw, hex.
   */
  private static List<String> handshakes(SSLContext serverContext, String protocol, int count)
      throws Exception {
    SSLContext client = TestTls.clientContext();
    List<String> sessions = new ArrayList<>();
    try (SSLServerSocket listening =
        (SSLServerSocket)
            serverContext
                .getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Future<?> accepting =
          server.submit(
              () -> {
                for (int i = 0; i < count; i++) {
                  try (SSLSocket accepted = (SSLSocket) listening.accept()) {
                    int b = accepted.getInputStream().read();
                    accepted.getOutputStream().write(b + 1);
                    accepted.getOutputStream().flush();
                  }
                }
                return null;
              });
      for (int i = 0; i < count; i++) {
        try (SSLSocket socket =
            (SSLSocket)
                client
                    .getSocketFactory()
                    // By name: the client looks sessions up by host and port.
                    .createSocket(
                        InetAddress.getLoopbackAddress().getHostAddress(),
                        listening.getLocalPort())) {
          socket.setEnabledProtocols(new String[] {protocol});
          OutputStream out = socket.getOutputStream();
          out.write(41);
          out.flush();
          InputStream in = socket.getInputStream();
          assertThat(in.read()).isEqualTo(42);
          assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
          // AES-GCM, so the byte each way went through the thread's record cipher.
          assertThat(socket.getSession().getCipherSuite()).contains("_AES_").contains("_GCM_");
          sessions.add(HexFormat.of().formatHex(socket.getSession().getId()));
        }
      }
      accepting.get(30, TimeUnit.SECONDS);
    }
    return sessions;
  }
}
