package io.redoubt.protocol.envelope;

import io.redoubt.protocol.tbs.Tbs;
import io.redoubt.protocol.tbs.TbsLabel;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * The message key wrapped for one recipient device with HPKE.
 *
 * @param deviceId the recipient device
 * @param prekeyId the recipient's prekey the key was sealed to (one-time, or the signed prekey when
 *     none was left; ids are unique per device)
 * @param enc the HPKE encapsulated key (the sender's ephemeral public key, uncompressed point)
 * @param wrappedKey HPKE ciphertext of the 32-byte message key
 */
public record RecipientEntry(UUID deviceId, long prekeyId, byte[] enc, byte[] wrappedKey) {

  public RecipientEntry {
    Objects.requireNonNull(deviceId, "deviceId");
    enc = enc.clone();
    wrappedKey = wrappedKey.clone();
  }

  /** The HPKE {@code info} for this recipient: binds the header, the device and the prekey. */
  public static byte[] hpkeInfo(byte[] headerHash, UUID deviceId, long prekeyId) {
    return Tbs.of(TbsLabel.RECIPIENT_INFO)
        .bytes(headerHash)
        .uuid(deviceId)
        .integer(prekeyId)
        .encode();
  }

  @Override
  public byte[] enc() {
    return enc.clone();
  }

  @Override
  public byte[] wrappedKey() {
    return wrappedKey.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecipientEntry that
        && deviceId.equals(that.deviceId)
        && prekeyId == that.prekeyId
        && Arrays.equals(enc, that.enc)
        && Arrays.equals(wrappedKey, that.wrappedKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(deviceId, prekeyId, Arrays.hashCode(enc), Arrays.hashCode(wrappedKey));
  }

  @Override
  public String toString() {
    return "RecipientEntry[device " + deviceId + ", prekey " + prekeyId + "]";
  }
}
