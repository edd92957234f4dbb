package io.redoubt.protocol.hpke;

import io.redoubt.protocol.crypto.Hkdf;
import java.util.Arrays;

/** KeySchedule (RFC 9180 §5.1): from the KEM shared secret to an {@link HpkeContext}. */
final class KeySchedule {

  private KeySchedule() {}

  static HpkeContext derive(
      HpkeSuite suite,
      HpkeContext.Role role,
      Mode mode,
      byte[] sharedSecret,
      byte[] info,
      PreSharedKey psk) {
    Hkdf hkdf = suite.kdf().hkdf();
    Labels labels = new Labels(hkdf, suite.suiteId());
    byte[] pskBytes = psk == null ? new byte[0] : psk.key();
    byte[] pskId = psk == null ? new byte[0] : psk.id();
    byte[] pskIdHash = labels.extract(new byte[0], "psk_id_hash", pskId);
    byte[] infoHash = labels.extract(new byte[0], "info_hash", info == null ? new byte[0] : info);
    byte[] context = Labels.concat(new byte[] {(byte) mode.id()}, pskIdHash, infoHash);
    byte[] secret = labels.extract(sharedSecret, "secret", pskBytes);
    try {
      byte[] key = labels.expand(secret, "key", context, suite.aead().keyLength());
      byte[] baseNonce = labels.expand(secret, "base_nonce", context, Aead.NONCE_LENGTH);
      byte[] exporter = labels.expand(secret, "exp", context, suite.kdf().hashLength());
      return new HpkeContext(role, key, baseNonce, exporter, labels);
    } finally {
      Arrays.fill(secret, (byte) 0);
      Arrays.fill(sharedSecret, (byte) 0);
    }
  }
}
