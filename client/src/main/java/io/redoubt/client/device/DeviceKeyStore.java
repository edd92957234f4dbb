package io.redoubt.client.device;

import io.redoubt.protocol.ProtocolCurves;
import io.redoubt.protocol.crypto.FipsModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.UUID;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The device's identity key in a passphrase-protected BCFKS file.
 *
 * <p>BCFKS protects the file with PBKDF2-HMAC-SHA512 and AES; the passphrase must be at least 14
 * characters, the 112-bit floor FIPS sets for keys derived from passwords. A private-key entry
 * needs a certificate: until the organisation CA issues one, a self-signed placeholder stands
 * beside the key, and {@link #installIssuedChain} replaces it.
 */
public final class DeviceKeyStore {

  /** FIPS SP 800-132 / SP 800-131A: at least 112 bits of key from a password. */
  public static final int MIN_PASSPHRASE_LENGTH = 14;

  static final String IDENTITY_ALIAS = "identity";
  static final String VAULT_KEY_ALIAS = "prekey-vault";
  private static final String STORE_TYPE = "BCFKS";
  private static final String SIGNATURE = "SHA384withECDSA";

  private final Path file;
  private final char[] passphrase;
  private final KeyStore store;

  private DeviceKeyStore(Path file, char[] passphrase, KeyStore store) {
    this.file = file;
    this.passphrase = passphrase;
    this.store = store;
  }

  /**
   * Creates a new key store at {@code file} with a fresh P-384 identity key. Refuses to overwrite
   * an existing one: losing a device key silently would orphan its certificate.
   */
  public static DeviceKeyStore create(Path file, char[] passphrase, String deviceName)
      throws IOException, GeneralSecurityException {
    requireStrong(passphrase);
    if (Files.exists(file)) {
      throw new IOException("a device key store already exists at " + file);
    }
    KeyStore store = KeyStore.getInstance(STORE_TYPE, FipsModule.PROVIDER);
    store.load(null, null);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", FipsModule.PROVIDER);
    generator.initialize(new ECGenParameterSpec(ProtocolCurves.P384), FipsModule.random());
    KeyPair identity = generator.generateKeyPair();
    store.setKeyEntry(
        IDENTITY_ALIAS,
        identity.getPrivate(),
        passphrase,
        new Certificate[] {placeholder(identity, deviceName)});
    DeviceKeyStore keys = new DeviceKeyStore(file, passphrase.clone(), store);
    keys.save();
    return keys;
  }

  /**
   * Opens the key store at {@code file}.
   *
   * @throws WrongPassphraseException when the passphrase does not open it
   */
  public static DeviceKeyStore open(Path file, char[] passphrase)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(STORE_TYPE, FipsModule.PROVIDER);
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, passphrase);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException || isIntegrityFailure(e)) {
        throw new WrongPassphraseException(file);
      }
      throw e;
    }
    return new DeviceKeyStore(file, passphrase.clone(), store);
  }

  /** The identity key; it signs envelopes, prekeys and request proofs. */
  public PrivateKey identityKey() throws GeneralSecurityException {
    return (PrivateKey) store.getKey(IDENTITY_ALIAS, passphrase);
  }

  /**
   * The AES-256 key that encrypts the prekey vault, made on first use and kept in this store under
   * the same passphrase.
   */
  javax.crypto.SecretKey vaultKey() throws IOException, GeneralSecurityException {
    if (!store.containsAlias(VAULT_KEY_ALIAS)) {
      var generator = javax.crypto.KeyGenerator.getInstance("AES", FipsModule.PROVIDER);
      generator.init(256, FipsModule.random());
      store.setKeyEntry(VAULT_KEY_ALIAS, generator.generateKey(), passphrase, null);
      save();
    }
    return (javax.crypto.SecretKey) store.getKey(VAULT_KEY_ALIAS, passphrase);
  }

  /** The stored chain: the placeholder before enrollment, the CA-issued chain after. */
  public X509Certificate[] chain() throws GeneralSecurityException {
    return Arrays.stream(store.getCertificateChain(IDENTITY_ALIAS))
        .map(X509Certificate.class::cast)
        .toArray(X509Certificate[]::new);
  }

  /** True once the organisation CA's chain replaced the placeholder. */
  public boolean isEnrolled() throws GeneralSecurityException {
    X509Certificate leaf = chain()[0];
    return !leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal());
  }

  /**
   * A PKCS#10 request for the identity key, signed by it (proof of possession). The server takes
   * the identity from the sign-in, never from the request, and refuses a subject naming anything
   * but this device or its owner; so the subject is the device id, or empty when {@code deviceId}
   * is null.
   */
  public PKCS10CertificationRequest certificationRequest(UUID deviceId)
      throws GeneralSecurityException {
    X509Certificate current = chain()[0];
    X500Name subject = deviceId == null ? new X500Name(new RDN[0]) : new X500Name("CN=" + deviceId);
    try {
      return new JcaPKCS10CertificationRequestBuilder(subject, current.getPublicKey())
          .build(
              new JcaContentSignerBuilder(SIGNATURE)
                  .setProvider(FipsModule.PROVIDER)
                  .setSecureRandom(FipsModule.random())
                  .build(identityKey()));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign the certification request", e);
    }
  }

  /**
   * Replaces the placeholder with the chain the CA issued, after checking that it certifies this
   * device's key and nothing else.
   */
  public void installIssuedChain(X509Certificate[] issued)
      throws IOException, GeneralSecurityException {
    if (issued.length == 0
        || !Arrays.equals(
            issued[0].getPublicKey().getEncoded(), chain()[0].getPublicKey().getEncoded())) {
      throw new GeneralSecurityException("the issued certificate is not for this device's key");
    }
    store.setKeyEntry(IDENTITY_ALIAS, identityKey(), passphrase, issued);
    save();
  }

  /** Writes through a private temporary file and an atomic rename. */
  private void save() throws IOException, GeneralSecurityException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path temporary = Files.createTempFile(directory, "device-keys", ".tmp");
    try {
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the profile directory is private already.
    }
    try (OutputStream out = Files.newOutputStream(temporary)) {
      store.store(out, passphrase);
    }
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static X509Certificate placeholder(KeyPair identity, String deviceName)
      throws GeneralSecurityException {
    X500Name subject = new X500Name("CN=" + escape(deviceName) + ",O=not yet enrolled");
    Instant now = Instant.now();
    try {
      var builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(127, FipsModule.random()).setBit(0),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(Duration.ofDays(30))),
              subject,
              identity.getPublic());
      return new JcaX509CertificateConverter()
          .setProvider(FipsModule.PROVIDER)
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder(SIGNATURE)
                      .setProvider(FipsModule.PROVIDER)
                      .setSecureRandom(FipsModule.random())
                      .build(identity.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot make the placeholder certificate", e);
    }
  }

  private static void requireStrong(char[] passphrase) throws WeakPassphraseException {
    if (passphrase == null || passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw new WeakPassphraseException();
    }
  }

  /** RFC 4514 escaping of the characters that would change a name's structure. */
  private static String escape(String value) {
    return value.replaceAll("([,+\"\\\\<>;=#])", "\\\\$1");
  }

  private static boolean isIntegrityFailure(IOException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    return message.contains("mac") || message.contains("password") || message.contains("integrity");
  }

  /** The passphrase did not open the key store. */
  public static final class WrongPassphraseException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    WrongPassphraseException(Path file) {
      super("the passphrase does not open " + file);
    }
  }

  /** A passphrase too short to protect the key under FIPS rules. */
  public static final class WeakPassphraseException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    WeakPassphraseException() {
      super("the device passphrase must be at least " + MIN_PASSPHRASE_LENGTH + " characters");
    }
  }
}
