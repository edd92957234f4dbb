package io.redoubt.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A server key and certificate for the tests' TLS connections, made once, and contexts for it. */
final class TestTls {

  private static final char[] PASSWORD = "test-only".toCharArray();

  /** The FIPS provider, installed once as the JVM's {@code BCFIPS}. */
  static final Provider FIPS;

  private static final KeyStore SERVER_KEYS;
  private static final KeyStore TRUSTED;

  static {
    try {
      Provider installed = Security.getProvider(LeanTlsCryptoProvider.FIPS_PROVIDER);
      if (installed == null) {
        installed = new BouncyCastleFipsProvider();
        Security.addProvider(installed);
      }
      FIPS = installed;
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", FIPS);
      generator.initialize(new ECGenParameterSpec("P-384"));
      KeyPair key = generator.generateKeyPair();
      X500Name name = new X500Name("CN=localhost");
      Instant now = Instant.now();
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .setProvider(FIPS)
              .getCertificate(
                  new JcaX509v3CertificateBuilder(
                          name,
                          BigInteger.ONE,
                          Date.from(now.minus(Duration.ofMinutes(1))),
                          Date.from(now.plus(Duration.ofHours(1))),
                          name,
                          key.getPublic())
                      .build(
                          new JcaContentSignerBuilder("SHA384withECDSA")
                              .setProvider(FIPS)
                              .build(key.getPrivate())));
      SERVER_KEYS = KeyStore.getInstance("BCFKS", FIPS);
      SERVER_KEYS.load(null, null);
      SERVER_KEYS.setKeyEntry(
          "server", key.getPrivate(), PASSWORD, new X509Certificate[] {certificate});
      TRUSTED = KeyStore.getInstance("BCFKS", FIPS);
      TRUSTED.load(null, null);
      TRUSTED.setCertificateEntry("server", certificate);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private TestTls() {}

  /** A server context of {@code jsse} with the test key, from {@code contexts}' TLS context. */
  static SSLContext serverContext(Provider jsse, Provider contexts) throws Exception {
    KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX", jsse);
    keys.init(SERVER_KEYS, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS", contexts);
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  /** A server context of {@code jsse} with the test key. */
  static SSLContext serverContext(Provider jsse) throws Exception {
    return serverContext(jsse, jsse);
  }

  /** A Bouncy Castle client context that trusts the test key. */
  static SSLContext clientContext() throws Exception {
    Provider clientJsse = new BouncyCastleJsseProvider(true, FIPS);
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX", clientJsse);
    trust.init(TRUSTED);
    SSLContext client = SSLContext.getInstance("TLS", clientJsse);
    client.init(null, trust.getTrustManagers(), null);
    return client;
  }
}
