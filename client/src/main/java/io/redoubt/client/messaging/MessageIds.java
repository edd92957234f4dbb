package io.redoubt.client.messaging;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/** Client-made message ids: UUIDv7 (RFC 9562 §5.7), time-ordered with 74 random bits. */
public final class MessageIds {

  private MessageIds() {}

  /** A fresh UUIDv7 with the millisecond time of {@code clock}. */
  public static UUID next(Clock clock, SecureRandom random) {
    long millis = clock.millis();
    byte[] bits = new byte[10];
    random.nextBytes(bits);
    long randA = ((bits[0] & 0xFFL) << 4) | ((bits[1] & 0xF0L) >>> 4); // 12 bits
    long most = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
    long randB = 0;
    for (int i = 2; i < 10; i++) {
      randB = (randB << 8) | (bits[i] & 0xFFL);
    }
    long least = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(most, least);
  }
}
