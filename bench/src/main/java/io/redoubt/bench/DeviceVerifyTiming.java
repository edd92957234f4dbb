package io.redoubt.bench;

import io.redoubt.client.OrganisationPins;
import io.redoubt.client.directory.DeviceVerifier;
import io.redoubt.client.transparency.LogReader;
import io.redoubt.protocol.api.LogEntryResponse;
import io.redoubt.protocol.api.TreeHeadResponse;
import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.merkle.InMemorySubtreeHashes;
import io.redoubt.protocol.merkle.MerkleHash;
import io.redoubt.protocol.merkle.MerkleProofs;
import io.redoubt.protocol.prekeys.SignedPrekey;
import io.redoubt.protocol.transparency.LeafKind;
import io.redoubt.protocol.transparency.LogLeaf;
import io.redoubt.protocol.transparency.TreeHead;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
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
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The client's per-device recipient check without a network: {@code DeviceVerifier.verify} with the
 * log entry served beside the certificate, plus the claimed prekey's signature (what {@code
 * RecipientCheck} adds), for devices whose certificates are new to the process (the full PKIX
 * validation) and for the same devices again (validation remembered). Timed as this thread's CPU
 * per device, so other load on the machine does not count. A throwaway CA and an in-memory log of
 * the devices' leaves stand in for the organisation's; a warm-up set of other devices runs first so
 * that the JIT has compiled the path before the measured set is new.
 *
 * <p>Run: {@code bench/bin/run-main}-style, {@code java -cp … io.redoubt.bench.DeviceVerifyTiming
 * [--devices 500] [--passes 5]}.
 */
public final class DeviceVerifyTiming {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private DeviceVerifyTiming() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    int devices = Integer.parseInt(options.getOrDefault("devices", "500"));
    int passes = Integer.parseInt(options.getOrDefault("passes", "5"));
    Security.addProvider(new BouncyCastleFipsProvider());
    MerkleHash hash = MerkleHash.sha384();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", FipsModule.PROVIDER);
    generator.initialize(new ECGenParameterSpec("secp384r1"), FipsModule.random());
    KeyPair caKeys = generator.generateKeyPair();
    X500Name caName = new X500Name("CN=Bench Device CA");
    X509Certificate ca = certificate(caKeys, caName, caName, caKeys.getPublic(), null);
    OrganisationPins pins = new OrganisationPins(pem(ca), pem(ca));

    List<Device> warmUp = devices(generator, caKeys, ca, 200);
    List<Device> measured = devices(generator, caKeys, ca, devices);
    InMemorySubtreeHashes tree = new InMemorySubtreeHashes(hash);
    List<Device> all = new ArrayList<>(warmUp);
    all.addAll(measured);
    for (int i = 0; i < all.size(); i++) {
      all.get(i).index = i;
      tree.append(all.get(i).leaf.encode());
    }
    TreeHead head = new TreeHead(tree.size(), tree.hash(0, tree.size()), Instant.now());
    MerkleProofs proofs = new MerkleProofs(hash, tree);
    for (Device device : all) {
      device.proof =
          proofs.inclusionProof(device.index, head.treeSize()).stream()
              .map(B64::encodeToString)
              .toList();
    }
    DeviceVerifier verifier = new DeviceVerifier(pins, new NoLog(), Clock.systemUTC());

    verifyAll(verifier, warmUp, head);
    for (int pass = 0; pass < 5; pass++) {
      verifyAll(verifier, warmUp, head);
    }
    long[] cold = verifyAll(verifier, measured, head);
    long[] remembered = new long[2];
    for (int pass = 0; pass < passes; pass++) {
      long[] one = verifyAll(verifier, measured, head);
      remembered[0] += one[0];
      remembered[1] += one[1];
    }
    System.out.printf(
        Locale.ROOT,
        "%d devices, CPU per device of this thread (load average %s):%n"
            + "  certificate new to the process: verify %.3f ms + prekey signature %.3f ms%n"
            + "  certificate remembered (%d passes): verify %.3f ms + prekey signature %.3f ms%n",
        devices,
        RelayLoad.loadAverage(),
        cold[0] / 1e6 / devices,
        cold[1] / 1e6 / devices,
        passes,
        remembered[0] / 1e6 / devices / passes,
        remembered[1] / 1e6 / devices / passes);
  }

  /** Thread CPU nanoseconds spent in [device verification, prekey verification] for {@code set}. */
  private static long[] verifyAll(DeviceVerifier verifier, List<Device> set, TreeHead head)
      throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long verify = 0;
    long prekey = 0;
    for (Device device : set) {
      long t0 = threads.getCurrentThreadCpuTime();
      var verified =
          verifier.verify(
              device.userId,
              device.deviceId.toString(),
              device.pem,
              device.index,
              device.proof,
              device.entry(),
              head);
      long t1 = threads.getCurrentThreadCpuTime();
      device.prekey.verify((ECPublicKey) verified.certificate().getPublicKey(), Instant.now());
      long t2 = threads.getCurrentThreadCpuTime();
      verify += t1 - t0;
      prekey += t2 - t1;
    }
    return new long[] {verify, prekey};
  }

  private static List<Device> devices(
      KeyPairGenerator generator, KeyPair caKeys, X509Certificate ca, int count) throws Exception {
    X500Name caName = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
    List<Device> made = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      KeyPair identity = generator.generateKeyPair();
      UUID deviceId = UUID.randomUUID();
      String userId = "user-" + (i % 5);
      X509Certificate certificate =
          certificate(
              caKeys,
              caName,
              new X500Name("CN=" + deviceId),
              identity.getPublic(),
              DeviceVerifier.deviceUri(userId, deviceId.toString()));
      SignedPrekey prekey =
          SignedPrekey.sign(
              deviceId,
              0,
              (ECPublicKey) generator.generateKeyPair().getPublic(),
              Instant.now().plus(Duration.ofDays(7)),
              identity.getPrivate());
      LogLeaf leaf =
          new LogLeaf(
              LeafKind.CERTIFICATE_ISSUED,
              userId,
              deviceId.toString(),
              MessageDigest.getInstance("SHA-384", FipsModule.PROVIDER)
                  .digest(certificate.getEncoded()),
              Instant.now());
      made.add(new Device(userId, deviceId, pem(certificate) + pem(ca), leaf, prekey));
    }
    return made;
  }

  private static X509Certificate certificate(
      KeyPair issuer, X500Name issuerName, X500Name subject, PublicKey key, String deviceUri)
      throws Exception {
    boolean isCa = deviceUri == null;
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            issuerName,
            BigInteger.valueOf(SERIALS.incrementAndGet()),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(1))),
            subject,
            key);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) {
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
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
        .setProvider(FipsModule.PROVIDER)
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA384withECDSA")
                    .setProvider(FipsModule.PROVIDER)
                    .build(issuer.getPrivate())));
  }

  private static final AtomicLong SERIALS = new AtomicLong();

  private static String pem(X509Certificate certificate) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  /** One device: its certificate chain, issue leaf, place in the log, proof and prekey. */
  private static final class Device {
    final String userId;
    final UUID deviceId;
    final String pem;
    final LogLeaf leaf;
    final SignedPrekey prekey;
    long index;
    List<String> proof;

    Device(String userId, UUID deviceId, String pem, LogLeaf leaf, SignedPrekey prekey) {
      this.userId = userId;
      this.deviceId = deviceId;
      this.pem = pem;
      this.leaf = leaf;
      this.prekey = prekey;
    }

    /** The entry as a listing serves it. */
    LogEntryResponse entry() {
      return new LogEntryResponse(
          index,
          B64.encodeToString(leaf.encode()),
          leaf.kind().code(),
          leaf.userId(),
          leaf.deviceId(),
          B64.encodeToString(leaf.certificateSha384()),
          leaf.time().toEpochMilli());
    }
  }

  /** Every entry is served with its device here: a request to the log is a bug. */
  private static final class NoLog implements LogReader {
    @Override
    public TreeHeadResponse newestHead() {
      throw new IllegalStateException("no log requests expected");
    }

    @Override
    public TreeHeadResponse headCovering(long index) {
      throw new IllegalStateException("no log requests expected");
    }

    @Override
    public List<LogEntryResponse> entries(long start, long end) {
      throw new IllegalStateException("no log requests expected");
    }

    @Override
    public List<String> inclusionProof(long index, long treeSize) {
      throw new IllegalStateException("no log requests expected");
    }

    @Override
    public List<String> consistencyProof(long from, long to) {
      throw new IllegalStateException("no log requests expected");
    }
  }
}
