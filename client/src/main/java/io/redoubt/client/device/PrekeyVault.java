package io.redoubt.client.device;

import io.redoubt.protocol.ProtocolCurves;
import io.redoubt.protocol.crypto.AesGcm;
import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.hpke.HpkeSuite;
import io.redoubt.protocol.prekeys.SignedPrekey;
import io.redoubt.protocol.tbs.Tbs;
import io.redoubt.protocol.tbs.TbsLabel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The private halves of a device's prekeys, in a file encrypted with AES-256-GCM under the vault
 * key of the device's key store (so one passphrase protects everything).
 *
 * <p>A one-time prekey's private key is deleted as soon as the message that used it is opened: that
 * deletion is what gives the message forward secrecy. Signed prekeys stay (every sender whose claim
 * found no one-time prekey left uses them) until rotation retires them. Prekey ids come from a
 * counter kept in the vault, so an id is never handed out twice, even after its key is gone.
 *
 * <p>File format 2 records per key whether it is one-time. A format-1 vault (before messaging) did
 * not, so its keys are all kept as if signed: deleting a signed prekey by mistake would make every
 * later message sealed to it unreadable, keeping a one-time one only weakens forward secrecy for
 * the few messages that use it.
 */
public final class PrekeyVault {

  /** Authenticated with every write, so a vault cannot be swapped in for another device's. */
  private static final TbsLabel AAD_LABEL = TbsLabel.PREKEY;

  private static final int FORMAT = 2;
  private static final int FORMAT_WITHOUT_KINDS = 1;

  private final Path file;
  private final DeviceKeyStore keys;

  /** Read once: every read from BCFKS pays for PBKDF2. */
  private final byte[] vaultKey;

  private final UUID deviceId;
  private final TreeMap<Long, byte[]> privateKeys;
  private final Set<Long> oneTime;
  private long nextId;

  private PrekeyVault(
      Path file,
      DeviceKeyStore keys,
      byte[] vaultKey,
      UUID deviceId,
      TreeMap<Long, byte[]> privateKeys,
      Set<Long> oneTime,
      long next) {
    this.file = file;
    this.keys = keys;
    this.vaultKey = vaultKey;
    this.deviceId = deviceId;
    this.privateKeys = privateKeys;
    this.oneTime = oneTime;
    this.nextId = next;
  }

  /** Opens the vault at {@code file}, or starts an empty one. */
  public static PrekeyVault open(Path file, DeviceKeyStore keys, UUID deviceId)
      throws IOException, GeneralSecurityException {
    byte[] vaultKey = keys.vaultKey().getEncoded();
    if (!Files.exists(file)) {
      return new PrekeyVault(file, keys, vaultKey, deviceId, new TreeMap<>(), new HashSet<>(), 1);
    }
    byte[] sealed = Files.readAllBytes(file);
    if (sealed.length < AesGcm.NONCE_LENGTH + AesGcm.TAG_LENGTH) {
      throw new IOException("the prekey vault " + file + " is truncated");
    }
    byte[] plain =
        AesGcm.open(
            vaultKey,
            Arrays.copyOf(sealed, AesGcm.NONCE_LENGTH),
            aad(deviceId),
            Arrays.copyOfRange(sealed, AesGcm.NONCE_LENGTH, sealed.length));
    try (var in = new DataInputStream(new ByteArrayInputStream(plain))) {
      int format = in.readInt();
      if (format != FORMAT && format != FORMAT_WITHOUT_KINDS) {
        throw new IOException("unknown prekey vault format in " + file);
      }
      long next = in.readLong();
      int count = in.readInt();
      TreeMap<Long, byte[]> entries = new TreeMap<>();
      Set<Long> oneTime = new HashSet<>();
      for (int i = 0; i < count; i++) {
        long id = in.readLong();
        if (format == FORMAT && in.readBoolean()) {
          oneTime.add(id);
        }
        byte[] pkcs8 = new byte[in.readInt()];
        in.readFully(pkcs8);
        entries.put(id, pkcs8);
      }
      return new PrekeyVault(file, keys, vaultKey, deviceId, entries, oneTime, next);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Makes {@code count} new ECDH P-384 prekeys valid until {@code expiresAt}, signed by the
   * identity key, and keeps their private halves. Returns what the server gets.
   *
   * @param oneTime whether they are one-time prekeys (deleted once a message used them) or signed
   *     prekeys (kept until rotated away)
   */
  public List<SignedPrekey> generate(int count, Instant expiresAt, boolean oneTime)
      throws IOException, GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", FipsModule.PROVIDER);
    generator.initialize(new ECGenParameterSpec(ProtocolCurves.P384), FipsModule.random());
    PrivateKey identity = keys.identityKey();
    List<SignedPrekey> published = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      KeyPair pair = generator.generateKeyPair();
      long id = nextId++;
      published.add(
          SignedPrekey.sign(deviceId, id, (ECPublicKey) pair.getPublic(), expiresAt, identity));
      privateKeys.put(id, pair.getPrivate().getEncoded());
      if (oneTime) {
        this.oneTime.add(id);
      }
    }
    save();
    return published;
  }

  /** The private key of prekey {@code id}, if this device still holds it. */
  public Optional<PrivateKey> privateKey(long id) throws GeneralSecurityException {
    byte[] pkcs8 = privateKeys.get(id);
    if (pkcs8 == null) {
      return Optional.empty();
    }
    return Optional.of(
        KeyFactory.getInstance("EC", FipsModule.PROVIDER)
            .generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
  }

  /**
   * The prekey pair {@code id} (the public half recomputed from the private one, as HPKE's Decap
   * binds it), if this device still holds it.
   */
  public Optional<KeyPair> keyPair(long id) throws GeneralSecurityException {
    Optional<PrivateKey> privateKey = privateKey(id);
    if (privateKey.isEmpty()) {
      return Optional.empty();
    }
    if (!(privateKey.get() instanceof ECPrivateKey ec)) {
      throw new GeneralSecurityException("prekey " + id + " is not an EC key");
    }
    return Optional.of(HpkeSuite.PROTOCOL.kem().keyPairOf(ec));
  }

  /** Whether {@code id} is a one-time prekey this device still holds. */
  public boolean isOneTime(long id) {
    return oneTime.contains(id) && privateKeys.containsKey(id);
  }

  /**
   * Called once a message sealed to prekey {@code id} has been opened: a one-time prekey is
   * destroyed for good (that is its forward secrecy); a signed prekey stays.
   *
   * @return whether a key was destroyed
   */
  public boolean used(long id) throws IOException, GeneralSecurityException {
    if (!isOneTime(id)) {
      return false;
    }
    destroy(id);
    return true;
  }

  /** Forgets a prekey for good. */
  public void destroy(long id) throws IOException, GeneralSecurityException {
    oneTime.remove(id);
    byte[] removed = privateKeys.remove(id);
    if (removed != null) {
      Arrays.fill(removed, (byte) 0);
      save();
    }
  }

  /** How many private prekeys the device holds. */
  public int size() {
    return privateKeys.size();
  }

  private void save() throws IOException, GeneralSecurityException {
    var plain = new ByteArrayOutputStream();
    try (var out = new DataOutputStream(plain)) {
      out.writeInt(FORMAT);
      out.writeLong(nextId);
      out.writeInt(privateKeys.size());
      for (var entry : privateKeys.entrySet()) {
        out.writeLong(entry.getKey());
        out.writeBoolean(oneTime.contains(entry.getKey()));
        out.writeInt(entry.getValue().length);
        out.write(entry.getValue());
      }
    }
    // A fresh random nonce per write: a vault sees thousands of writes at most, far below the
    // 2^32 bound for random 96-bit GCM nonces under one key.
    byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
    FipsModule.random().nextBytes(nonce);
    byte[] clear = plain.toByteArray();
    byte[] sealed;
    try {
      sealed = AesGcm.seal(vaultKey, nonce, aad(deviceId), clear);
    } finally {
      Arrays.fill(clear, (byte) 0);
    }
    Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), "prekeys", ".tmp");
    try {
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the profile directory is private already.
    }
    var out = new ByteArrayOutputStream();
    out.write(nonce);
    out.write(sealed);
    Files.write(temporary, out.toByteArray());
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static byte[] aad(UUID deviceId) {
    return Tbs.of(AAD_LABEL).text("prekey-vault").uuid(deviceId).encode();
  }
}
