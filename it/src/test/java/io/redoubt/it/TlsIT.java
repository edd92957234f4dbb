package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HTTPS listener speaks TLS 1.3 and 1.2 with ECDHE and AES-256-GCM only. The test JVM's own
 * protocol restrictions are lifted (client-java.security) so that it can offer what the server must
 * refuse.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TlsIT {

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    return Deployments.builtEar();
  }

  @ParameterizedTest(name = "{0} {1} is accepted")
  @CsvSource({
    "TLSv1.3, TLS_AES_256_GCM_SHA384",
    "TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  })
  void acceptsModernSuites(String protocol, String suite) throws Exception {
    try (SSLSocket socket = handshake(protocol, suite)) {
      assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
      assertThat(socket.getSession().getCipherSuite()).isEqualTo(suite);
    }
  }

  @ParameterizedTest(name = "{0} {1} is refused")
  @CsvSource({
    "TLSv1.1, TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLSv1, TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLSv1.2, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLSv1.3, TLS_AES_128_GCM_SHA256",
    "TLSv1.3, TLS_CHACHA20_POLY1305_SHA256",
  })
  void refusesOldProtocolsAndOtherSuites(String protocol, String suite) {
    assertThatThrownBy(() -> handshake(protocol, suite).close()).isInstanceOf(IOException.class);
  }

  /**
   * A socket reconnects cheaply over TLS 1.2 by resuming the session of its last full handshake
   * (BCJSSE resumes no TLS 1.3 session): the FIPS client gets the same session back, same suite.
   */
  @Test
  void aTls12SessionIsResumedWithItsSuite() throws Exception {
    SSLContext client = Lab.tls();
    SSLSession first;
    try (SSLSocket socket = fipsHandshake(client)) {
      first = socket.getSession();
    }
    try (SSLSocket socket = fipsHandshake(client)) {
      SSLSession second = socket.getSession();
      assertThat(second.getId()).isNotEmpty().isEqualTo(first.getId());
      assertThat(second.getCreationTime()).isEqualTo(first.getCreationTime());
      assertThat(second.getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    }
  }

  private static SSLSocket fipsHandshake(SSLContext client) throws Exception {
    SSLSocket socket =
        (SSLSocket) client.getSocketFactory().createSocket("localhost", Lab.SERVER.getPort());
    socket.setEnabledProtocols(new String[] {"TLSv1.2"});
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return socket;
  }

  private static SSLSocket handshake(String protocol, String suite) throws Exception {
    SSLContext context = probe();
    SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("localhost", Lab.SERVER.getPort());
    try {
      socket.setEnabledProtocols(new String[] {protocol});
      socket.setEnabledCipherSuites(new String[] {suite});
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * The JDK's own TLS (SunJSSE), not the FIPS client's: a probe must be able to offer what the
   * server should refuse (ChaCha20, AES-128), which BCJSSE in FIPS mode would not even send.
   */
  private static SSLContext probe() throws Exception {
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    try (var in = Files.newInputStream(Lab.TLS_CERT)) {
      anchors.setCertificateEntry(
          "lab", CertificateFactory.getInstance("X.509", "SUN").generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
    trust.init(anchors);
    SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
