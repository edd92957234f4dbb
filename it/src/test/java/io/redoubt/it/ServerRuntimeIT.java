package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.redoubt.keys.CaCertificateProfile;
import io.redoubt.keys.Fingerprint;
import io.redoubt.keys.KeyPurpose;
import io.redoubt.keys.OrganisationKeyMismatchException;
import io.redoubt.keys.OrganisationKeyRegistry;
import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.ProtocolCurves;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.sql.DataSource;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.Testable;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs inside the server: the built EAR's persistence (JPA over JTA on MariaDB through the
 * application's DML-only account) and the cryptographic facts of the server JVM.
 */
@ExtendWith(ArquillianExtension.class)
class ServerRuntimeIT {

  static {
    // On the client side, Arquillian invokes these tests over the server's HTTPS listener with
    // the JVM's default TLS context: make it trust the lab certificate. (This class also loads
    // inside the server, where there is no lab.)
    if (System.getProperty("redoubt.lab.state") != null) {
      SSLContext tls = Lab.tls();
      SSLContext.setDefault(tls);
      HttpsURLConnection.setDefaultSSLSocketFactory(tls.getSocketFactory());
    }
  }

  @Deployment
  static EnterpriseArchive deployment() {
    EnterpriseArchive ear = Deployments.builtEar();
    WebArchive web = ear.getAsType(WebArchive.class, Deployments.WAR_NAME);
    web.addClasses(ServerRuntimeIT.class, KeyPinningScenario.class);
    web.addAsLibraries(jarOf(org.assertj.core.api.Assertions.class));
    ear.delete(Deployments.WAR_NAME);
    ear.addAsModule(Testable.archiveToTest(web));
    return ear;
  }

  @EJB OrganisationKeyRegistry registry;
  @EJB KeyPinningScenario scenario;

  @Resource(lookup = "java:jboss/datasources/RedoubtDS")
  DataSource runtimeDataSource;

  @Test
  void pinsAKeyInMariaDbAndReadsItBack() throws Exception {
    String alias = "it-" + UUID.randomUUID();
    X509Certificate certificate = selfSigned();

    registry.pin(KeyPurpose.DEVICE_CA, alias, certificate);
    var pinned = registry.find(alias).orElseThrow();

    assertThat(pinned.certificateDer()).isEqualTo(certificate.getEncoded());
    assertThat(pinned.fingerprintSha384())
        .isEqualTo(Fingerprint.sha384Hex(certificate.getEncoded()))
        .hasSize(96);
    assertThat(pinned.purpose()).isEqualTo(KeyPurpose.DEVICE_CA);
    // Pinning the same certificate again is idempotent.
    registry.pin(KeyPurpose.DEVICE_CA, alias, certificate);
  }

  @Test
  void aBusinessExceptionRollsBackTheWholeTransaction() throws Exception {
    String pinnedAlias = "it-" + UUID.randomUUID();
    registry.pin(KeyPurpose.DEVICE_CA, pinnedAlias, selfSigned());
    String newAlias = "it-" + UUID.randomUUID();

    // The first pin (newAlias) is written, then the second conflicts with what is pinned.
    assertThatThrownBy(() -> scenario.pinBoth(newAlias, selfSigned(), pinnedAlias, selfSigned()))
        .isInstanceOf(OrganisationKeyMismatchException.class);

    assertThat(registry.find(newAlias)).as("rolled back with the transaction").isEmpty();
    assertThat(registry.find(pinnedAlias)).isPresent();
  }

  @Test
  void theRuntimeDatabaseAccountCannotChangeTheSchema() throws Exception {
    try (Connection connection = runtimeDataSource.getConnection();
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute("CREATE TABLE it_forbidden (i INT)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("denied");
      assertThatThrownBy(() -> statement.execute("DROP TABLE organisation_key"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("denied");
    }
  }

  @Test
  void theServerJvmRunsTheFipsModuleInApprovedOnlyMode() {
    assertThat(CryptoServicesRegistrar.isInApprovedOnlyMode()).isTrue();
    assertThat(Security.getProviders()[0].getName()).isEqualTo("BCFIPS");
    assertThat(Arrays.stream(Security.getProviders()).map(p -> p.getName()))
        .doesNotContain("SUN", "SunJCE", "SunJSSE", "SunRsaSign");
  }

  @Test
  void md5AndPkcs12AndJksAreUnavailable() {
    assertThat(catchThrowable(() -> MessageDigest.getInstance("MD5")))
        .as("MD5 from %s; providers %s", providerOf("MD5"), providerNames())
        .isInstanceOf(NoSuchAlgorithmException.class);
    assertThat(catchThrowable(() -> KeyStore.getInstance("PKCS12")))
        .as("providers %s", providerNames())
        .isInstanceOf(KeyStoreException.class);
    assertThat(catchThrowable(() -> KeyStore.getInstance("JKS")))
        .as("providers %s", providerNames())
        .isInstanceOf(KeyStoreException.class);
  }

  @Test
  void theCurveAllowListRefusesP224ThatTheModuleStillAccepts() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("P-224")); // the FIPS module makes it...
    KeyPair p224 = generator.generateKeyPair();

    assertThatThrownBy(() -> ProtocolCurves.requireP384(p224.getPublic())) // ...Redoubt refuses it
        .isInstanceOf(DisallowedKeyException.class);
  }

  private static String providerOf(String digest) {
    try {
      return MessageDigest.getInstance(digest).getProvider().toString();
    } catch (NoSuchAlgorithmException e) {
      return "nobody";
    }
  }

  private static java.util.List<String> providerNames() {
    return Arrays.stream(Security.getProviders()).map(p -> p.getName()).toList();
  }

  private static java.io.File jarOf(Class<?> type) {
    try {
      return new java.io.File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate selfSigned() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("P-384"));
    KeyPair pair = generator.generateKeyPair();
    return CaCertificateProfile.selfSigned(
        "Integration Test",
        pair.getPublic(),
        pair.getPrivate(),
        Security.getProvider("BCFIPS"),
        Instant.now());
  }
}
