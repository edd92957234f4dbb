package io.redoubt.protocol.envelope;

import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.crypto.EcdsaP384;
import io.redoubt.protocol.crypto.HashFunction;
import io.redoubt.protocol.crypto.SealedContent;
import io.redoubt.protocol.tbs.Tbs;
import io.redoubt.protocol.tbs.TbsLabel;
import java.security.InvalidKeyException;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A sealed, signed message as it travels (docs: messaging, "The envelope"): the clear header, the
 * content under the message key, the key wrapped per recipient device, the sender device's
 * signature.
 *
 * <p>The constructor checks shape only — recipients in canonical order, none twice — so that a
 * relay and every recipient agree on the bytes that were signed. Whether the signature is good is
 * {@link #signatureValidUnder}'s question, asked by recipients (and by the server only when a
 * setting asks for it).
 */
public record Envelope(
    EnvelopeHeader header,
    SealedContent content,
    List<RecipientEntry> recipients,
    byte[] signature) {

  /** Recipients are sorted by the canonical text of their device id, ascending. */
  public static final Comparator<UUID> RECIPIENT_ORDER = Comparator.comparing(UUID::toString);

  public Envelope {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(content, "content");
    recipients = List.copyOf(recipients);
    signature = signature.clone();
    for (int i = 1; i < recipients.size(); i++) {
      if (RECIPIENT_ORDER.compare(recipients.get(i - 1).deviceId(), recipients.get(i).deviceId())
          >= 0) {
        throw new IllegalArgumentException(
            "recipients must be sorted by device id with none twice; "
                + recipients.get(i).deviceId()
                + " is out of place");
      }
    }
  }

  /** The bytes the sender signs; see {@link #toBeSigned(byte[], SealedContent, List)}. */
  public byte[] toBeSigned() {
    return toBeSigned(header.hash(), content, recipients);
  }

  /**
   * TBS("redoubt/v1/envelope", headerHash, SHA-384(nonce ‖ ciphertext), count, then per recipient
   * device id, prekey id, enc, wrapped key).
   */
  public static byte[] toBeSigned(
      byte[] headerHash, SealedContent content, List<RecipientEntry> recipients) {
    Tbs tbs =
        Tbs.of(TbsLabel.ENVELOPE)
            .bytes(headerHash)
            .bytes(HashFunction.SHA384.digest(content.nonce(), content.ciphertext()))
            .integer(recipients.size());
    for (RecipientEntry entry : recipients) {
      tbs.uuid(entry.deviceId()).integer(entry.prekeyId()).bytes(entry.enc());
      tbs.bytes(entry.wrappedKey());
    }
    return tbs.encode();
  }

  /**
   * True when the signature is the sender device's over {@link #toBeSigned()}. Malformed signatures
   * are false.
   *
   * @throws DisallowedKeyException when the key is not P-384
   * @throws InvalidKeyException when the key's point is invalid
   */
  public boolean signatureValidUnder(ECPublicKey senderIdentityKey)
      throws DisallowedKeyException, InvalidKeyException {
    return EcdsaP384.verify(senderIdentityKey, toBeSigned(), signature);
  }

  /** The entry for {@code deviceId}, if it is a recipient. */
  public java.util.Optional<RecipientEntry> entryFor(UUID deviceId) {
    return recipients.stream().filter(e -> e.deviceId().equals(deviceId)).findFirst();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Envelope that
        && header.equals(that.header)
        && content.equals(that.content)
        && recipients.equals(that.recipients)
        && Arrays.equals(signature, that.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(header, content, recipients, Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return "Envelope["
        + header.messageId()
        + " in "
        + header.conversationId()
        + " to "
        + recipients.size()
        + " devices]";
  }
}
