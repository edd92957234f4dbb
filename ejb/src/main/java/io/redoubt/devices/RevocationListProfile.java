package io.redoubt.devices;

import io.redoubt.keys.CaCertificateProfile;
import io.redoubt.protocol.crypto.FipsModule;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.operator.ContentSigner;

/**
 * The revocation list profile (RFC 5280 section 5): X.509 v2 CRL issued by the device CA, signed
 * SHA384withECDSA with the CA key, with a CRLNumber and an AuthorityKeyIdentifier (the CA's key
 * identifier, the same one device certificates name), and one entry per revoked device certificate
 * with its serial and revocation time. Entries carry no reason code (RFC 5280 5.3.1: absent rather
 * than "unspecified").
 */
public final class RevocationListProfile {

  /** One revoked certificate. */
  public record Entry(BigInteger serial, Instant revokedAt) {}

  private RevocationListProfile() {}

  /** Signs a CRL for {@code entries} with the CA key through {@code caSigner}. */
  public static X509CRL issue(
      X509Certificate ca,
      ContentSigner caSigner,
      BigInteger number,
      Instant thisUpdate,
      Instant nextUpdate,
      List<Entry> entries)
      throws GeneralSecurityException {
    if (!nextUpdate.isAfter(thisUpdate) || number.signum() <= 0) {
      throw new IllegalArgumentException("a CRL needs a positive number and a later nextUpdate");
    }
    var builder =
        new X509v2CRLBuilder(
            X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
    builder.setNextUpdate(Date.from(nextUpdate));
    for (Entry entry : entries) {
      builder.addCRLEntry(entry.serial(), Date.from(entry.revokedAt()), null);
    }
    try {
      builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, CaCertificateProfile.authorityKeyIdentifier(ca));
    } catch (CertIOException e) {
      throw new GeneralSecurityException("cannot build the CRL's extensions", e);
    }
    return new JcaX509CRLConverter()
        .setProvider(FipsModule.PROVIDER)
        .getCRL(builder.build(caSigner));
  }
}
