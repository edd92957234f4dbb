package io.redoubt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.client.device.TestCa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's TLS runs on BCJSSE over the FIPS module (this JVM runs approved-only, as the build
 * configures) and trusts exactly the given certificates.
 */
class TrustAnchorsTest {

  private static final char[] PASSWORD = "test key store pass".toCharArray();

  @BeforeAll
  static void fips() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.insertProviderAt(new BouncyCastleFipsProvider(), 1);
    }
  }

  @Test
  void handshakesTls13OnBcjsseWithTheTrustedServer(@TempDir Path dir) throws Exception {
    KeyPair serverKey = p384();
    X509Certificate serverCertificate = TestCa.selfSigned(serverKey, "CN=localhost");
    Path anchors = pem(dir, serverCertificate);

    SSLContext client = TrustAnchors.fromPem(anchors);

    assertThat(client.getProvider().getName()).isEqualTo("BCJSSE");
    try (SSLServerSocket server = server(serverKey, serverCertificate)) {
      CompletableFuture<Void> served = serveOneByte(server);
      try (SSLSocket socket =
          (SSLSocket) client.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
        socket.startHandshake();
        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(socket.getSession().getCipherSuite()).isEqualTo("TLS_AES_256_GCM_SHA384");
        assertThat(socket.getInputStream().read()).isEqualTo('R');
      }
      served.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void refusesAServerWhoseCertificateIsNotAnAnchor(@TempDir Path dir) throws Exception {
    KeyPair serverKey = p384();
    X509Certificate serverCertificate = TestCa.selfSigned(serverKey, "CN=localhost");
    Path someoneElse = pem(dir, TestCa.selfSigned(p384(), "CN=localhost"));

    SSLContext client = TrustAnchors.fromPem(someoneElse);

    try (SSLServerSocket server = server(serverKey, serverCertificate)) {
      serveOneByte(server);
      try (SSLSocket socket =
          (SSLSocket) client.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
        assertThatThrownBy(socket::startHandshake)
            .isInstanceOf(java.io.IOException.class)
            .hasMessageContaining("certificate_unknown");
      }
    }
  }

  @Test
  void aFileWithoutCertificatesIsRefused(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "", StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> TrustAnchors.fromPem(empty)).hasMessageContaining("no certificate");
  }

  private static SSLServerSocket server(KeyPair key, X509Certificate certificate) throws Exception {
    BouncyCastleJsseProvider jsse =
        new BouncyCastleJsseProvider(true, Security.getProvider("BCFIPS"));
    KeyStore store = KeyStore.getInstance("BCFKS", "BCFIPS");
    store.load(null, null);
    store.setKeyEntry("server", key.getPrivate(), PASSWORD, new Certificate[] {certificate});
    KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX", jsse);
    keys.init(store, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS", jsse);
    context.init(keys.getKeyManagers(), null, null);
    return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0);
  }

  private static CompletableFuture<Void> serveOneByte(SSLServerSocket server) {
    return CompletableFuture.runAsync(
        () -> {
          try (SSLSocket accepted = (SSLSocket) server.accept()) {
            accepted.getOutputStream().write('R');
            accepted.getOutputStream().flush();
          } catch (java.io.IOException refusedByTheClient) {
            // the refusal test ends the handshake from the client's side
          }
        });
  }

  private static Path pem(Path dir, X509Certificate certificate) throws Exception {
    return Files.writeString(
        dir.resolve("anchors.pem"),
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
            + "\n-----END CERTIFICATE-----\n",
        StandardCharsets.US_ASCII);
  }

  private static KeyPair p384() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("P-384"));
    return generator.generateKeyPair();
  }
}
