package io.redoubt.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS contexts that trust exactly the certificates the caller names. */
public final class TrustAnchors {

  private TrustAnchors() {}

  /**
   * A TLS 1.3/1.2 context trusting only the certificates in {@code pemFile} (the organisation's TLS
   * CA, or in the lab its self-signed server certificate).
   */
  public static SSLContext fromPem(Path pemFile) throws IOException, GeneralSecurityException {
    KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
    anchors.load(null, null);
    try (InputStream in = Files.newInputStream(pemFile)) {
      int index = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        anchors.setCertificateEntry("anchor-" + index++, certificate);
      }
      if (index == 0) {
        throw new GeneralSecurityException("no certificate in " + pemFile);
      }
    }
    var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(anchors);
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    tls.init(null, trust.getTrustManagers(), null);
    return tls;
  }
}
