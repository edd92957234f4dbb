package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The organisation CA the server publishes is backed by a key inside the SoftHSM2 token, and that
 * key cannot leave it. Checked from outside the server, through PKCS#11 itself.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HsmIT {

  private static final String CA_ALIAS = "redoubt-device-ca";
  private static final String SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    return Deployments.builtEar();
  }

  @Test
  void thePublishedCaCertificateChainsToTheKeyInTheToken() throws Exception {
    X509Certificate published = publishedCa();
    Provider token = Security.getProvider("SunPKCS11").configure(Lab.env("PKCS11_CONFIG"));
    KeyStore keys = KeyStore.getInstance("PKCS11", token);
    keys.load(null, Lab.secret("HSM_PIN").toCharArray());

    assertThat(keys.getCertificate(CA_ALIAS)).isEqualTo(published);

    // The token's private key signs; the published certificate's public key verifies.
    PrivateKey caKey = (PrivateKey) keys.getKey(CA_ALIAS, null);
    byte[] challenge = new byte[48];
    new SecureRandom().nextBytes(challenge);
    Signature signer = Signature.getInstance("SHA384withECDSA", token);
    signer.initSign(caKey);
    signer.update(challenge);
    Signature verifier = Signature.getInstance("SHA384withECDSA");
    verifier.initVerify(published.getPublicKey());
    verifier.update(challenge);
    assertThat(verifier.verify(signer.sign())).isTrue();

    assertThat(caKey.getEncoded()).as("no key bytes leave the token").isNull();
  }

  @Test
  void theTransparencyLogAndAuditKeysLiveInTheTokenBesideTheCa() throws Exception {
    String pem = Lab.client().info().transparencyLogCertificatePem();
    X509Certificate published =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    Provider token = Security.getProvider("SunPKCS11").configure(Lab.env("PKCS11_CONFIG"));
    KeyStore keys = KeyStore.getInstance("PKCS11", token);
    keys.load(null, Lab.secret("HSM_PIN").toCharArray());

    assertThat(keys.getCertificate("redoubt-transparency-log")).isEqualTo(published);
    assertThat(published.getBasicConstraints()).as("a signing key, not a CA").isEqualTo(-1);
    assertThat(keys.isKeyEntry("redoubt-audit")).isTrue();
    X509Certificate audit = (X509Certificate) keys.getCertificate("redoubt-audit");
    assertThat(audit.getPublicKey()).isNotEqualTo(published.getPublicKey());
    assertThat(audit.getSubjectX500Principal().getName()).contains("Audit");
  }

  @Test
  void theCaPrivateKeyIsSensitiveAndWasNeverExtractable() throws Exception {
    // pkcs11-tool reads the object's attributes straight from the token (CKA_SENSITIVE,
    // CKA_ALWAYS_SENSITIVE, CKA_EXTRACTABLE, CKA_NEVER_EXTRACTABLE), not from our configuration.
    var command =
        new ProcessBuilder(
                "pkcs11-tool",
                "--module",
                SOFTHSM_MODULE,
                "--token-label",
                "redoubt",
                "--login",
                "--pin",
                "env:REDOUBT_IT_PIN",
                "--list-objects",
                "--type",
                "privkey",
                "--label",
                CA_ALIAS)
            .redirectErrorStream(true);
    command.environment().put("REDOUBT_IT_PIN", Lab.secret("HSM_PIN"));
    command.environment().put("SOFTHSM2_CONF", Lab.env("SOFTHSM2_CONF"));
    Process process = command.start();
    String listing = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    // SunPKCS11 files a key entry's alias under CKA_ID.
    assertThat(listing).contains("Private Key Object; EC", "ID:         " + aliasAsId());
    List<String> access =
        listing
            .lines()
            .filter(line -> line.contains("Access:"))
            .map(line -> line.substring(line.indexOf(':') + 1).trim())
            .flatMap(flags -> Arrays.stream(flags.split(",\\s*")))
            .toList();
    assertThat(access)
        .contains("sensitive", "always sensitive", "never extractable", "local")
        .doesNotContain("extractable");
  }

  private static String aliasAsId() {
    return java.util.HexFormat.of().formatHex(CA_ALIAS.getBytes(StandardCharsets.US_ASCII));
  }

  private static X509Certificate publishedCa() throws Exception {
    String pem = Lab.client().info().caCertificateChainPem();
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }
}
