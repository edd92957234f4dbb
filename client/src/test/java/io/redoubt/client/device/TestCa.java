package io.redoubt.client.device;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA for unit tests of the client's certificate handling (not the server's CA). */
public final class TestCa {

  private static long serial = 1;

  private TestCa() {}

  public static X509Certificate selfSigned(KeyPair ca, String name) throws Exception {
    return sign(ca, new X500Name(name), new X500Name(name), ca.getPublic());
  }

  public static X509Certificate issue(KeyPair ca, X509Certificate caCertificate, PublicKey subject)
      throws Exception {
    return sign(
        ca,
        X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()),
        new X500Name("CN=device"),
        subject);
  }

  private static X509Certificate sign(
      KeyPair ca, X500Name issuer, X500Name subject, PublicKey subjectKey) throws Exception {
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(serial++),
            Date.from(now.minus(Duration.ofMinutes(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            subject,
            subjectKey);
    return new JcaX509CertificateConverter()
        .setProvider("BCFIPS")
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA384withECDSA")
                    .setProvider("BCFIPS")
                    .build(ca.getPrivate())));
  }
}
