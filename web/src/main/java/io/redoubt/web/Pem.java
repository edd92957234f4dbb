package io.redoubt.web;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** PEM (RFC 7468) text of certificates, as the API hands them to clients. */
public final class Pem {

  private Pem() {}

  /** One certificate from its DER encoding. */
  public static String certificate(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }

  /** A chain, in the order given (leaf first). */
  public static String chain(List<X509Certificate> chain) throws CertificateEncodingException {
    var pem = new StringBuilder();
    for (X509Certificate certificate : chain) {
      pem.append(certificate(certificate.getEncoded()));
    }
    return pem.toString();
  }
}
