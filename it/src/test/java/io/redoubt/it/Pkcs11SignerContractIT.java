package io.redoubt.it;

import io.redoubt.keys.HsmSigner;
import io.redoubt.keys.HsmSignerContract;
import io.redoubt.keys.KeyPurpose;
import io.redoubt.keys.SigningCertificateProfile;
import io.redoubt.keys.hsm.Pkcs11Signer;
import io.redoubt.keys.hsm.Pkcs11Token;
import io.redoubt.protocol.ProtocolCurves;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.UUID;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The {@link HsmSignerContract} against the lab's SoftHSM2 token through SunPKCS11: a key of its
 * own (random alias), generated in the token the way {@code OrganisationKeys} does, removed after.
 */
class Pkcs11SignerContractIT implements HsmSignerContract {

  private static final String ALIAS = "it-signer-" + UUID.randomUUID();
  private static Pkcs11Signer signer;

  @BeforeAll
  static void generateInTheToken() throws Exception {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
    Pkcs11Token token =
        Pkcs11Token.open(Path.of(Lab.env("PKCS11_CONFIG")), Lab.secret("HSM_PIN").toCharArray());
    KeyPair pair = token.generateEcKeyPair(ProtocolCurves.P384);
    X509Certificate certificate =
        SigningCertificateProfile.selfSigned(
            "Integration Test",
            KeyPurpose.TRANSPARENCY_LOG,
            pair.getPublic(),
            pair.getPrivate(),
            token.provider(),
            Instant.now());
    token.storeKeyEntry(ALIAS, pair.getPrivate(), new X509Certificate[] {certificate});
    signer = Pkcs11Signer.open(token, ALIAS);
  }

  @AfterAll
  static void removeTheKey() throws Exception {
    KeyStore keys =
        KeyStore.getInstance(
            "PKCS11", Security.getProvider("SunPKCS11").configure(Lab.env("PKCS11_CONFIG")));
    keys.load(null, Lab.secret("HSM_PIN").toCharArray());
    keys.deleteEntry(ALIAS);
  }

  @Override
  public HsmSigner signer() {
    return signer;
  }
}
