package io.redoubt.protocol.envelope;

import io.redoubt.protocol.crypto.MessageKey;
import io.redoubt.protocol.hpke.Hpke;
import io.redoubt.protocol.hpke.HpkeSuite;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * Opens an envelope for one recipient device: finds the device's entry, unwraps the message key
 * with HPKE under the prekey it names (info binds the header hash, the device and the prekey id),
 * and opens the content with AAD = the header hash. So a key or content moved to another header,
 * device or prekey does not open.
 *
 * <p>Opening says nothing about who sent the message: anyone who knows a device's prekey can seal
 * to it. {@link #verifySender} (the signature under the sender's certified key) is a separate,
 * explicit step, and a caller shows a message as verified only when that and the certificate checks
 * passed.
 */
public final class EnvelopeOpener {

  private static final byte[] NO_AAD = new byte[0];

  private EnvelopeOpener() {}

  /** The device's private prekeys, by id; a used one-time prekey is gone. */
  @FunctionalInterface
  public interface PrekeyLookup {
    /** The prekey pair with {@code prekeyId}, if the device still holds it. */
    Optional<KeyPair> prekey(long prekeyId) throws GeneralSecurityException;
  }

  /**
   * The plaintext of {@code envelope} for device {@code deviceId}. The caller zeroes it when done
   * where that matters.
   *
   * @throws UnopenableEnvelopeException when the device is not a recipient, lacks the prekey, or
   *     anything bound into the seal was changed
   */
  public static byte[] open(Envelope envelope, UUID deviceId, PrekeyLookup prekeys)
      throws UnopenableEnvelopeException {
    RecipientEntry entry =
        envelope
            .entryFor(deviceId)
            .orElseThrow(
                () ->
                    new UnopenableEnvelopeException(
                        "device " + deviceId + " is not a recipient of this envelope"));
    KeyPair prekey;
    try {
      prekey =
          prekeys
              .prekey(entry.prekeyId())
              .orElseThrow(
                  () ->
                      new UnopenableEnvelopeException(
                          "this device no longer holds prekey "
                              + entry.prekeyId()
                              + " (already used, or never its own)"));
    } catch (GeneralSecurityException e) {
      throw new UnopenableEnvelopeException(
          "prekey " + entry.prekeyId() + " cannot be read: " + e.getMessage(), e);
    }
    byte[] headerHash = envelope.header().hash();
    byte[] keyBytes;
    try {
      keyBytes =
          Hpke.open(
              HpkeSuite.PROTOCOL,
              entry.enc(),
              prekey,
              RecipientEntry.hpkeInfo(headerHash, deviceId, entry.prekeyId()),
              NO_AAD,
              entry.wrappedKey());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new UnopenableEnvelopeException(
          "the message key wrapped for this device does not open (altered entry or header, or"
              + " another prekey)",
          e);
    }
    MessageKey messageKey;
    try {
      messageKey = MessageKey.received(keyBytes);
    } catch (IllegalArgumentException e) {
      throw new UnopenableEnvelopeException("the wrapped message key has the wrong length", e);
    } finally {
      Arrays.fill(keyBytes, (byte) 0);
    }
    try {
      return messageKey.open(envelope.content(), headerHash);
    } catch (GeneralSecurityException e) {
      throw new UnopenableEnvelopeException(
          "the content does not authenticate under this header (altered content or header)", e);
    } finally {
      messageKey.destroy();
    }
  }

  /**
   * Whether the envelope's signature is by {@code senderIdentityKey}, the key of the certificate
   * that names the header's sender user and device; checking that certificate (chain, revocation,
   * transparency log, names) is the caller's part.
   */
  public static boolean verifySender(
      Envelope envelope, java.security.interfaces.ECPublicKey senderIdentityKey) {
    try {
      return envelope.signatureValidUnder(senderIdentityKey);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
