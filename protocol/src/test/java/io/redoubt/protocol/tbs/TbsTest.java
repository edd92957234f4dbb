package io.redoubt.protocol.tbs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class TbsTest {

  @Test
  void aPrekeyEncodesToTheseExactBytes() {
    byte[] encoded =
        Tbs.of(TbsLabel.PREKEY)
            .text("dev-1")
            .integer(42)
            .bytes(new byte[] {0x04, (byte) 0xAB})
            .integer(1_767_225_600L)
            .encode();

    assertThat(Hex.toHexString(encoded))
        .isEqualTo(
            "00000011"
                + Hex.toHexString(
                    "redoubt/v1/prekey".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                + "00000005"
                + "6465762d31"
                + "00000008"
                + "000000000000002a"
                + "00000002"
                + "04ab"
                + "00000008"
                + "000000006955b900");
  }

  @Test
  void fieldBoundariesCannotMove() {
    byte[] abC = Tbs.of(TbsLabel.ENVELOPE).text("ab").text("c").encode();
    byte[] aBc = Tbs.of(TbsLabel.ENVELOPE).text("a").text("bc").encode();
    byte[] abc = Tbs.of(TbsLabel.ENVELOPE).text("abc").encode();
    byte[] abcEmpty = Tbs.of(TbsLabel.ENVELOPE).text("abc").text("").encode();

    assertThat(Set.of(hex(abC), hex(aBc), hex(abc), hex(abcEmpty))).hasSize(4);
  }

  @Test
  void theSameFieldsUnderDifferentLabelsNeverCollide() {
    Set<String> encodings = new HashSet<>();
    for (TbsLabel label : TbsLabel.values()) {
      encodings.add(hex(Tbs.of(label).bytes(new byte[32]).integer(7).encode()));
    }

    assertThat(encodings).hasSize(TbsLabel.values().length);
  }

  @Test
  void labelsAreUniqueAndVersioned() {
    List<String> labels = Arrays.stream(TbsLabel.values()).map(TbsLabel::label).toList();

    assertThat(labels).doesNotHaveDuplicates().allMatch(l -> l.startsWith("redoubt/v1/"));
  }

  @Test
  void aLabelCannotBeForgedByFieldsOfAnotherStructure() {
    // A structure whose first field spells another label still differs: the label has its own
    // frame.
    byte[] prekey = Tbs.of(TbsLabel.PREKEY).text("x").encode();
    byte[] spoof = Tbs.of(TbsLabel.POLICY).text("redoubt/v1/prekey").text("x").encode();

    assertThat(hex(spoof)).doesNotStartWith(hex(prekey)).isNotEqualTo(hex(prekey));
  }

  @Test
  void exhaustiveSplitsOfShortStringsNeverCollide() {
    // Every way of cutting "abcdef" into up to three fields, plus integer/uuid/flag variants.
    Set<String> seen = new HashSet<>();
    int count = 0;
    String s = "abcdef";
    for (int i = 0; i <= s.length(); i++) {
      for (int j = i; j <= s.length(); j++) {
        byte[] encoded =
            Tbs.of(TbsLabel.MESSAGE_HEADER)
                .text(s.substring(0, i))
                .text(s.substring(i, j))
                .text(s.substring(j))
                .encode();
        assertThat(seen.add(hex(encoded))).isTrue();
        count++;
      }
    }
    assertThat(seen.add(hex(Tbs.of(TbsLabel.MESSAGE_HEADER).text(s).encode()))).isTrue();
    assertThat(seen.add(hex(Tbs.of(TbsLabel.MESSAGE_HEADER).uuid(new UUID(0, 0)).encode())))
        .isTrue();
    assertThat(seen.add(hex(Tbs.of(TbsLabel.MESSAGE_HEADER).flag(true).encode()))).isTrue();
    assertThat(count).isEqualTo(28);
  }

  private static String hex(byte[] bytes) {
    return Hex.toHexString(bytes);
  }
}
