package io.redoubt.protocol.transparency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TransparencyTbsTest {

  private static final Instant T = Instant.parse("2026-11-30T12:00:00.123456Z");

  @Test
  void aLeafEncodesItsFieldsLengthPrefixedAfterItsLabel() {
    byte[] hash = new byte[48];
    Arrays.fill(hash, (byte) 0xab);

    byte[] leaf = new LogLeaf(LeafKind.CERTIFICATE_ISSUED, "u1", "d1", hash, T).encode();

    ByteBuffer expected = ByteBuffer.allocate(leaf.length);
    put(expected, "redoubt/v1/log-leaf".getBytes(StandardCharsets.US_ASCII));
    put(expected, "certificate-issued".getBytes(StandardCharsets.US_ASCII));
    put(expected, "u1".getBytes(StandardCharsets.UTF_8));
    put(expected, "d1".getBytes(StandardCharsets.UTF_8));
    put(expected, hash);
    put(expected, ByteBuffer.allocate(8).putLong(T.toEpochMilli()).array());
    assertThat(expected.hasRemaining()).isFalse();
    assertThat(leaf).isEqualTo(expected.array());
  }

  @Test
  void leavesOfDifferentKindsOrFieldsDiffer() {
    byte[] hash = new byte[48];
    byte[] issued = new LogLeaf(LeafKind.CERTIFICATE_ISSUED, "u", "d", hash, T).encode();
    byte[] revoked = new LogLeaf(LeafKind.CERTIFICATE_REVOKED, "u", "d", hash, T).encode();
    byte[] shifted = new LogLeaf(LeafKind.CERTIFICATE_ISSUED, "ud", "", hash, T).encode();

    assertThat(issued).isNotEqualTo(revoked).isNotEqualTo(shifted);
  }

  @Test
  void timesAreKeptToTheMillisecond() {
    var leaf = new LogLeaf(LeafKind.ARCHIVER_KEY_CHANGED, "u", "d", new byte[48], T);
    assertThat(leaf.time()).isEqualTo(Instant.parse("2026-11-30T12:00:00.123Z"));
  }

  @Test
  void aCertificateHashMustBe48Bytes() {
    assertThatThrownBy(() -> new LogLeaf(LeafKind.CERTIFICATE_ISSUED, "u", "d", new byte[32], T))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTreeHeadEncodesSizeRootAndTime() {
    byte[] root = new byte[48];
    root[0] = 7;

    byte[] tbs = new TreeHead(5, root, T).encode();

    assertThat(HexFormat.of().formatHex(tbs))
        .isEqualTo(
            "00000014"
                + HexFormat.of()
                    .formatHex("redoubt/v1/tree-head".getBytes(StandardCharsets.US_ASCII))
                + "00000008"
                + "0000000000000005"
                + "00000030"
                + HexFormat.of().formatHex(root)
                + "00000008"
                + HexFormat.of()
                    .formatHex(ByteBuffer.allocate(8).putLong(T.toEpochMilli()).array()));
  }

  @Test
  void leafKindsRoundTripThroughTheirCodes() {
    for (LeafKind kind : LeafKind.values()) {
      assertThat(LeafKind.ofCode(kind.code())).isEqualTo(kind);
    }
  }

  private static void put(ByteBuffer buffer, byte[] field) {
    buffer.putInt(field.length).put(field);
  }
}
