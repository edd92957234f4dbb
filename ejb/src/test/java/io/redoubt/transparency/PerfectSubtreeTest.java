package io.redoubt.transparency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PerfectSubtreeTest {

  @ParameterizedTest
  @CsvSource({
    "0, 1, '0@0'",
    "0, 7, '2@0 1@4 0@6'",
    "0, 8, '3@0'",
    "8, 13, '2@8 0@12'",
    "16, 32, '4@16'",
    "1000000, 1000001, '0@1000000'",
    "0, 1000000, '19@0 18@524288 17@786432 16@917504 14@983040 9@999424 6@999936'",
  })
  void alignedRangesSplitIntoTheirBinaryDigits(long start, long end, String expected) {
    List<PerfectSubtree> pieces = PerfectSubtree.decompose(start, end);

    assertThat(String.join(" ", pieces.stream().map(p -> p.level() + "@" + p.start()).toList()))
        .isEqualTo(expected);
    assertThat(pieces.stream().mapToLong(PerfectSubtree::width).sum()).isEqualTo(end - start);
  }

  @Test
  void unalignedOrEmptyRangesAreRefused() {
    assertThatThrownBy(() -> PerfectSubtree.decompose(4, 9))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PerfectSubtree.decompose(3, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PerfectSubtree.decompose(5, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PerfectSubtree(2, 6)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLeafCompletesTheSubtreesItIsTheLastLeafOf() {
    assertThat(PerfectSubtree.completedBy(0)).isEmpty();
    assertThat(PerfectSubtree.completedBy(6)).isEmpty();
    assertThat(PerfectSubtree.completedBy(7))
        .containsExactly(
            new PerfectSubtree(1, 6), new PerfectSubtree(2, 4), new PerfectSubtree(3, 0));
  }

  @Test
  void nodeNumbersAreUniqueAcrossLevels() {
    Set<Long> nodes = new HashSet<>();
    for (int level = 0; level <= 10; level++) {
      for (long start = 0; start < 4096; start += 1L << level) {
        assertThat(nodes.add(new PerfectSubtree(level, start).node())).isTrue();
      }
    }
  }
}
