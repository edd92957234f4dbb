package io.redoubt.client.messaging;

import io.redoubt.client.OrganisationPins;
import io.redoubt.client.device.DeviceKeyStore;
import io.redoubt.client.device.PrekeyVault;
import io.redoubt.client.device.TestCa;
import io.redoubt.client.directory.DeviceVerifier;
import io.redoubt.client.directory.PeerDevices;
import io.redoubt.client.transparency.FakeLog;
import io.redoubt.client.transparency.LogMonitor;
import io.redoubt.client.trust.RevocationCheck;
import io.redoubt.protocol.api.DirectoryResponse;
import io.redoubt.protocol.api.PublishedPrekey;
import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.prekeys.SignedPrekey;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway organisation for messaging tests: a device CA, an in-memory transparency log, and
 * devices with real key stores, prekey vaults and logged certificates. Rogue variants (a
 * certificate the CA signed but nobody logged) are made on request.
 */
final class TestOrganisation {

  static final X500Name CA_NAME = new X500Name("CN=Test Device CA,O=Test");
  private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

  final KeyPair caKeys;
  final X509Certificate ca;
  final FakeLog log;
  final List<BigInteger> revokedSerials = new ArrayList<>();
  private final Path directory;

  TestOrganisation(Path directory) throws Exception {
    this.directory = directory;
    caKeys = p384();
    ca = TestCa.profiled(caKeys, CA_NAME, CA_NAME, caKeys.getPublic(), null);
    log = new FakeLog();
    log.noise(3);
  }

  /** One device: key store, vault, certificate, its published prekeys (one-time first). */
  final class Device {
    final String userId;
    final String username;
    final UUID deviceId = UUID.randomUUID();
    final DeviceKeyStore keys;
    final PrekeyVault vault;
    X509Certificate certificate;
    long logIndex;
    final SignedPrekey signedPrekey;
    final Deque<SignedPrekey> oneTime = new ArrayDeque<>();

    Device(String userId, String username, boolean logged) throws Exception {
      this.userId = userId;
      this.username = username;
      keys =
          DeviceKeyStore.create(
              directory.resolve(deviceId + ".bcfks"), PASSPHRASE.clone(), username);
      vault = PrekeyVault.open(directory.resolve(deviceId + ".vault"), keys, deviceId);
      Instant expiry = Instant.now().plus(Duration.ofDays(7));
      signedPrekey = vault.generate(1, expiry, false).get(0);
      oneTime.addAll(vault.generate(2, expiry, true));
      certificate = deviceCertificate(keys.chain()[0].getPublicKey(), userId, deviceId);
      logIndex =
          logged
              ? log.issue(userId, deviceId.toString(), sha384(certificate))
              : 0; // leaf 0 is another user's: a certificate nobody logged
    }

    /**
     * As a directory lists it, with the log entry at its index (as the server serves it); {@code
     * claim} takes a one-time prekey (or the signed one).
     */
    DirectoryResponse.DirectoryDevice listed(boolean claim) throws Exception {
      long size = log.newestHead().treeSize();
      PublishedPrekey prekey = null;
      boolean isOneTime = false;
      if (claim) {
        SignedPrekey claimed = oneTime.poll();
        isOneTime = claimed != null;
        prekey = PublishedPrekey.of(claimed != null ? claimed : signedPrekey);
      }
      return new DirectoryResponse.DirectoryDevice(
          deviceId.toString(),
          pem(certificate) + pem(ca),
          logIndex,
          log.inclusionProof(logIndex, size),
          prekey,
          isOneTime,
          log.entry(logIndex));
    }

    /** The directory's answer for this one device. */
    DirectoryResponse lookup() throws Exception {
      return new DirectoryResponse(userId, username, log.newestHead(), List.of(listed(false)));
    }
  }

  Device device(String userId, String username) throws Exception {
    return new Device(userId, username, true);
  }

  Device unloggedDevice(String userId, String username) throws Exception {
    return new Device(userId, username, false);
  }

  PeerDevices peers() throws Exception {
    return new PeerDevices(
        new DeviceVerifier(new OrganisationPins(pem(ca), pem(ca)), log, Clock.systemUTC()),
        new LogMonitor(log, log.logKey()),
        log.logKey());
  }

  /** The CA's current revocation list, verified as a client would. */
  RevocationCheck.Verified revocations() throws Exception {
    Instant now = Instant.now();
    var builder = new X509v2CRLBuilder(CA_NAME, Date.from(now.minusSeconds(60)));
    builder.setNextUpdate(Date.from(now.plus(Duration.ofHours(1))));
    for (BigInteger serial : revokedSerials) {
      builder.addCRLEntry(serial, Date.from(now.minusSeconds(60)), null);
    }
    builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE));
    builder.addExtension(
        Extension.authorityKeyIdentifier,
        false,
        new AuthorityKeyIdentifier(
            new JcaX509ExtensionUtils()
                .createSubjectKeyIdentifier(caKeys.getPublic())
                .getKeyIdentifier()));
    byte[] der =
        builder
            .build(
                new JcaContentSignerBuilder("SHA384withECDSA")
                    .setProvider("BCFIPS")
                    .build(caKeys.getPrivate()))
            .getEncoded();
    return RevocationCheck.verify(der, ca, now, null);
  }

  X509Certificate deviceCertificate(PublicKey key, String userId, UUID deviceId) throws Exception {
    return TestCa.profiled(
        caKeys,
        CA_NAME,
        new X500Name("CN=" + deviceId),
        key,
        DeviceVerifier.deviceUri(userId, deviceId.toString()));
  }

  static KeyPair p384() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("secp384r1"), FipsModule.random());
    return generator.generateKeyPair();
  }

  static String pem(X509Certificate certificate) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(certificate);
    }
    return text.toString();
  }

  static byte[] sha384(X509Certificate certificate) throws Exception {
    return MessageDigest.getInstance("SHA-384", "BCFIPS").digest(certificate.getEncoded());
  }
}
