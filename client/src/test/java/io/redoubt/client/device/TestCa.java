package io.redoubt.client.device;

import io.redoubt.client.directory.DeviceVerifier;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
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

  private static final java.util.concurrent.atomic.AtomicLong PROFILED_SERIAL =
      new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());

  /**
   * A certificate in Redoubt's profiles, valid from five minutes ago for a day, with a serial no
   * other certificate of the run shares: a CA certificate (basic constraints, certificate and CRL
   * signing, subject key identifier) when {@code deviceUri} is null, else a device certificate
   * (digital signature, Redoubt's device usage, the one SAN URI {@code deviceUri}).
   */
  public static X509Certificate profiled(
      KeyPair issuer, X500Name issuerName, X500Name subject, PublicKey key, String deviceUri)
      throws Exception {
    boolean isCa = deviceUri == null;
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            issuerName,
            BigInteger.valueOf(PROFILED_SERIAL.incrementAndGet()),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(1))),
            subject,
            key);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) {
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key));
    } else {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              KeyPurposeId.getInstance(new ASN1ObjectIdentifier(DeviceVerifier.DEVICE_USAGE))));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, deviceUri)));
    }
    return new JcaX509CertificateConverter()
        .setProvider("BCFIPS")
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA384withECDSA")
                    .setProvider("BCFIPS")
                    .build(issuer.getPrivate())));
  }
}
