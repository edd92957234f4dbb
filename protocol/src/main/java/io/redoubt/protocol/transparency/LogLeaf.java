package io.redoubt.protocol.transparency;

import io.redoubt.protocol.tbs.Tbs;
import io.redoubt.protocol.tbs.TbsLabel;
import java.time.Instant;
import java.util.Objects;

/**
 * One transparency-log entry. The leaf bytes the Merkle tree hashes are its TBS encoding, so that a
 * client holding the decoded fields can recompute the leaf and its hash:
 *
 * <pre>
 *   leaf = TBS("redoubt/v1/log-leaf", kind code, user id, device id, certificate SHA-384,
 *              time as epoch milliseconds)
 * </pre>
 *
 * @param certificateSha384 SHA-384 of the DER certificate the event concerns (48 bytes)
 * @param time when the server logged the event, to the millisecond
 */
public record LogLeaf(
    LeafKind kind, String userId, String deviceId, byte[] certificateSha384, Instant time) {

  /** Length of {@link #certificateSha384}. */
  public static final int CERTIFICATE_HASH_LENGTH = 48;

  public LogLeaf {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(userId);
    Objects.requireNonNull(deviceId);
    Objects.requireNonNull(time);
    if (certificateSha384 == null || certificateSha384.length != CERTIFICATE_HASH_LENGTH) {
      throw new IllegalArgumentException("a certificate SHA-384 is 48 bytes");
    }
    certificateSha384 = certificateSha384.clone();
    time = Instant.ofEpochMilli(time.toEpochMilli());
  }

  @Override
  public byte[] certificateSha384() {
    return certificateSha384.clone();
  }

  /** The leaf bytes: the TBS encoding described above. */
  public byte[] encode() {
    return Tbs.of(TbsLabel.LOG_LEAF)
        .text(kind.code())
        .text(userId)
        .text(deviceId)
        .bytes(certificateSha384)
        .integer(time.toEpochMilli())
        .encode();
  }
}
