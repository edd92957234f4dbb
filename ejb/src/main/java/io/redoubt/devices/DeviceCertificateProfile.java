package io.redoubt.devices;

import io.redoubt.protocol.ProtocolCurves;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * The device certificate profile of PROTOCOL.md: subject {@code CN=<device id>, O=<organisation>},
 * SAN URI {@code urn:redoubt:device:<user id>:<device id>}, keyUsage digitalSignature (critical),
 * extended key usage from Redoubt's arc ({@code .1} device, {@code .2} records archiver), not a CA,
 * SHA384withECDSA by the organisation CA, validity from policy (default 365 days).
 */
public final class DeviceCertificateProfile {

  /** Redoubt's own OID arc (a UUID OID, RFC 9562 / X.667: needs no registration). */
  public static final ASN1ObjectIdentifier ARC =
      new ASN1ObjectIdentifier("2.25.6803106302403272843231992851845464659");

  /** Extended key usage of a person's device. */
  public static final ASN1ObjectIdentifier DEVICE_USAGE = ARC.branch("1");

  /** Extended key usage of the records archiver. */
  public static final ASN1ObjectIdentifier ARCHIVER_USAGE = ARC.branch("2");

  /** Default validity when policy says nothing. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

  static final Duration BACKDATE = Duration.ofMinutes(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  private DeviceCertificateProfile() {}

  /** The SAN URI that binds a device certificate to its user. */
  public static String deviceUri(String userId, UUID deviceId) {
    return "urn:redoubt:device:" + userId + ":" + deviceId;
  }

  /**
   * Issues a device certificate.
   *
   * @param issuer the CA certificate whose key {@code caSigner} uses (the HSM in production)
   */
  public static X509Certificate issue(
      X509Certificate issuer,
      ContentSigner caSigner,
      String organisation,
      String userId,
      UUID deviceId,
      ECPublicKey deviceKey,
      Instant now,
      Duration validity)
      throws GeneralSecurityException {
    ProtocolCurves.requireP384(deviceKey);
    if (userId == null || userId.isBlank() || userId.contains(":")) {
      throw new IllegalArgumentException("a user id is non-blank and has no ':'");
    }
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, organisation)
            .addRDN(BCStyle.CN, deviceId.toString())
            .build();
    try {
      var extensions = new JcaX509ExtensionUtils();
      var builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(127, RANDOM).setBit(0),
              Date.from(now.minus(BACKDATE)),
              Date.from(now.plus(validity)),
              subject,
              deviceKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(KeyPurposeId.getInstance(DEVICE_USAGE)));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName(GeneralName.uniformResourceIdentifier, deviceUri(userId, deviceId))));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(deviceKey));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          io.redoubt.keys.CaCertificateProfile.authorityKeyIdentifier(issuer));
      return new JcaX509CertificateConverter()
          .setProvider(io.redoubt.protocol.crypto.FipsModule.PROVIDER)
          .getCertificate(builder.build(caSigner));
    } catch (CertIOException e) {
      throw new GeneralSecurityException("cannot build the device certificate", e);
    }
  }
}
