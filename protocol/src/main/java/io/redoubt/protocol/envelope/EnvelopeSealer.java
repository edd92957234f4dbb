package io.redoubt.protocol.envelope;

import io.redoubt.protocol.crypto.EcdsaP384;
import io.redoubt.protocol.crypto.MessageKey;
import io.redoubt.protocol.crypto.SealedContent;
import io.redoubt.protocol.hpke.Hpke;
import io.redoubt.protocol.hpke.HpkeSuite;
import io.redoubt.protocol.hpke.Sealed;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.security.auth.DestroyFailedException;
import javax.security.auth.Destroyable;

/**
 * Seals a message for its recipient devices exactly as docs/messaging says: a fresh {@link
 * MessageKey} seals the content with AAD = the header hash; ONE ephemeral key pair per envelope
 * wraps that key for every recipient through HPKE base mode with info = {@link
 * RecipientEntry#hpkeInfo}; the entries are put in {@link Envelope#RECIPIENT_ORDER}; the sender
 * device's identity key signs {@link Envelope#toBeSigned()}.
 *
 * <p>The caller has verified every recipient's certificate and prekey signature before it gets
 * here: this class trusts the keys it is given. The message key and the ephemeral private key live
 * only for one call and are zeroed (or destroyed, where the provider allows) before it returns.
 */
public final class EnvelopeSealer {

  private static final HpkeSuite SUITE = HpkeSuite.PROTOCOL;
  private static final byte[] NO_AAD = new byte[0];

  private EnvelopeSealer() {}

  /**
   * One recipient device and the prekey (one-time or signed) its key is sealed to.
   *
   * @param prekey the device's ECDH P-384 prekey, its signature already checked
   */
  public record Recipient(UUID deviceId, long prekeyId, ECPublicKey prekey) {
    public Recipient {
      Objects.requireNonNull(deviceId, "deviceId");
      Objects.requireNonNull(prekey, "prekey");
      if (prekeyId < 0) {
        throw new IllegalArgumentException("prekey ids are not negative");
      }
    }
  }

  /**
   * Seals {@code plaintext} under {@code header} for {@code recipients} (any order; none twice) and
   * signs the envelope with {@code identityKey}, the device named in the header's sender.
   *
   * @throws IllegalArgumentException when there are no recipients or one device appears twice
   */
  public static Envelope seal(
      EnvelopeHeader header,
      byte[] plaintext,
      List<Recipient> recipients,
      PrivateKey identityKey,
      SecureRandom random)
      throws GeneralSecurityException {
    List<Recipient> ordered = ordered(recipients);
    byte[] headerHash = header.hash();
    MessageKey messageKey = MessageKey.generate(random);
    byte[] wrappable = null;
    KeyPair ephemeral = null;
    try {
      SealedContent content = messageKey.seal(plaintext, headerHash, random);
      wrappable = messageKey.exportForWrapping();
      // One ephemeral per envelope (PROTOCOL.md): each recipient's KEM context still binds its
      // own public key, so the wrapped keys stay independent; it halves the sender's cost.
      ephemeral = SUITE.kem().generateKeyPair(random);
      List<RecipientEntry> entries = new ArrayList<>(ordered.size());
      for (Recipient recipient : ordered) {
        byte[] info =
            RecipientEntry.hpkeInfo(headerHash, recipient.deviceId(), recipient.prekeyId());
        Sealed sealed = Hpke.seal(SUITE, recipient.prekey(), info, NO_AAD, wrappable, ephemeral);
        entries.add(
            new RecipientEntry(
                recipient.deviceId(), recipient.prekeyId(), sealed.enc(), sealed.ciphertext()));
      }
      byte[] signature =
          EcdsaP384.sign(identityKey, Envelope.toBeSigned(headerHash, content, entries));
      return new Envelope(header, content, entries, signature);
    } finally {
      if (wrappable != null) {
        Arrays.fill(wrappable, (byte) 0);
      }
      messageKey.destroy();
      if (ephemeral != null) {
        destroyQuietly(ephemeral.getPrivate());
      }
    }
  }

  private static List<Recipient> ordered(List<Recipient> recipients) {
    if (recipients == null || recipients.isEmpty()) {
      throw new IllegalArgumentException("an envelope needs at least one recipient device");
    }
    Set<UUID> seen = new HashSet<>();
    for (Recipient recipient : recipients) {
      if (!seen.add(recipient.deviceId())) {
        throw new IllegalArgumentException(
            "device " + recipient.deviceId() + " is listed twice as a recipient");
      }
    }
    List<Recipient> ordered = new ArrayList<>(recipients);
    ordered.sort(Comparator.comparing(Recipient::deviceId, Envelope.RECIPIENT_ORDER));
    return ordered;
  }

  /**
   * Destroys a private key where the provider implements it. The JDK's default {@code destroy}
   * throws, and BCFIPS keys may not support it; the key object is then left to the collector, the
   * best Java allows.
   */
  static void destroyQuietly(Object key) {
    if (key instanceof Destroyable destroyable && !destroyable.isDestroyed()) {
      try {
        destroyable.destroy();
      } catch (DestroyFailedException | RuntimeException notSupported) {
        // Nothing more can be done from Java; see the method comment.
      }
    }
  }
}
