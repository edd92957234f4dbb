package io.redoubt.client;

import io.redoubt.protocol.crypto.FipsModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/** TLS contexts that trust exactly the certificates the caller names. */
public final class TrustAnchors {

  private TrustAnchors() {}

  /**
   * A TLS 1.3/1.2 context trusting only the certificates in {@code pemFile} (the organisation's TLS
   * CA, or in the lab its self-signed server certificate).
   *
   * <p>TLS runs on Bouncy Castle's JSSE in FIPS mode over the BCFIPS module, like the server's: the
   * handshake's key exchange, signatures and record encryption are then FIPS-approved whatever the
   * JDK's own providers are, and the JDK's providers may stay registered for everything else in the
   * process.
   */
  public static SSLContext fromPem(Path pemFile) throws IOException, GeneralSecurityException {
    // An application need not have registered BCFIPS to talk TLS; the module is used directly.
    Provider fips = Security.getProvider(FipsModule.PROVIDER);
    if (fips == null) {
      fips = new BouncyCastleFipsProvider();
    }
    KeyStore anchors = KeyStore.getInstance("BCFKS", fips);
    anchors.load(null, null);
    try (InputStream in = Files.newInputStream(pemFile)) {
      int index = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509", fips).generateCertificates(in)) {
        anchors.setCertificateEntry("anchor-" + index++, certificate);
      }
      if (index == 0) {
        throw new GeneralSecurityException("no certificate in " + pemFile);
      }
    }
    Provider jsse = new BouncyCastleJsseProvider(true, fips);
    var trust = TrustManagerFactory.getInstance("PKIX", jsse);
    trust.init(anchors);
    SSLContext tls = SSLContext.getInstance("TLS", jsse);
    tls.init(null, trust.getTrustManagers(), SecureRandom.getInstance("DEFAULT", fips));
    return tls;
  }
}
