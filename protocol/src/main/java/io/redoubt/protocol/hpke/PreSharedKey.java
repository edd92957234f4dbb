package io.redoubt.protocol.hpke;

import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * A pre-shared key and its identifier for the PSK modes. RFC 9180 §5.1.2 requires at least 32 bytes
 * of entropy; this refuses shorter keys and empty ids. The key never appears in {@link #toString}.
 */
public final class PreSharedKey implements Destroyable {

  private final byte[] key;
  private final byte[] id;
  private boolean destroyed;

  public PreSharedKey(byte[] key, byte[] id) {
    if (key == null || key.length < 32) {
      throw new IllegalArgumentException("a PSK must have at least 32 bytes");
    }
    if (id == null || id.length == 0) {
      throw new IllegalArgumentException("a PSK needs a non-empty id");
    }
    this.key = key.clone();
    this.id = id.clone();
  }

  byte[] key() {
    if (destroyed) {
      throw new IllegalStateException("PSK destroyed");
    }
    return key;
  }

  byte[] id() {
    return id.clone();
  }

  @Override
  public void destroy() {
    Arrays.fill(key, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "PreSharedKey[redacted]";
  }
}
