package io.redoubt.protocol.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.protocol.TestVectors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compact range's root equals the RFC 9162 root computed by {@link MerkleProofs} for every size
 * 0..300, survives a save/restore at every size, holds at most popcount(n) hashes, and changes when
 * a leaf is dropped, altered or reordered — what makes a client's scan of the log sound.
 */
class CompactRangeTest {

  private static final int LARGEST = 300;

  @BeforeAll
  static void fips() {
    TestVectors.installFipsProvider();
  }

  private static byte[] leaf(long i) {
    return ByteBuffer.allocate(Long.BYTES).putLong(i * 7919).array();
  }

  @Test
  void rootEqualsTheTreeRootAtEverySizeWithSha384AndSha256() {
    for (MerkleHash hash : List.of(MerkleHash.sha384(), MerkleHash.of("SHA-256"))) {
      InMemorySubtreeHashes tree = new InMemorySubtreeHashes(hash);
      MerkleProofs proofs = new MerkleProofs(hash, tree);
      CompactRange range = new CompactRange(hash);
      assertThat(range.root()).isEqualTo(hash.emptyRoot());
      for (long i = 0; i < LARGEST; i++) {
        tree.append(leaf(i));
        range.append(hash.leafHash(leaf(i)));
        assertThat(range.size()).isEqualTo(i + 1);
        assertThat(range.hashes()).hasSize(Long.bitCount(i + 1));
        assertThat(range.root()).as("size %d, %s", i + 1, hash).isEqualTo(proofs.root(i + 1));
      }
    }
  }

  @Test
  void restoredRangesContinueExactlyWhereTheyStopped() {
    MerkleHash hash = MerkleHash.sha384();
    InMemorySubtreeHashes tree = new InMemorySubtreeHashes(hash);
    MerkleProofs proofs = new MerkleProofs(hash, tree);
    CompactRange range = new CompactRange(hash);
    for (long i = 0; i < 100; i++) {
      tree.append(leaf(i));
      range.append(hash.leafHash(leaf(i)));
      CompactRange restored = CompactRange.restore(hash, range.size(), range.hashes());
      restored.append(hash.leafHash(leaf(1000)));
      InMemorySubtreeHashes extended = new InMemorySubtreeHashes(hash);
      for (long j = 0; j <= i; j++) {
        extended.append(leaf(j));
      }
      extended.append(leaf(1000));
      assertThat(restored.root()).isEqualTo(new MerkleProofs(hash, extended).root(i + 2));
    }
    assertThat(range.root()).isEqualTo(proofs.root(100));
  }

  @Test
  void aSkippedAlteredOrReorderedLeafChangesTheRoot() {
    MerkleHash hash = MerkleHash.sha384();
    InMemorySubtreeHashes tree = new InMemorySubtreeHashes(hash);
    for (long i = 0; i < 37; i++) {
      tree.append(leaf(i));
    }
    byte[] truth = new MerkleProofs(hash, tree).root(37);
    for (int tampered = 0; tampered < 37; tampered++) {
      List<byte[]> skipped = new ArrayList<>();
      List<byte[]> altered = new ArrayList<>();
      List<byte[]> swapped = new ArrayList<>();
      for (long i = 0; i < 37; i++) {
        if (i != tampered) {
          skipped.add(leaf(i));
        }
        altered.add(i == tampered ? leaf(5000) : leaf(i));
        long source = i == tampered ? (tampered + 1) % 37 : i == (tampered + 1) % 37 ? tampered : i;
        swapped.add(leaf(source));
      }
      skipped.add(leaf(5000)); // same count as the truth, one leaf replaced at the end
      for (List<byte[]> leaves : List.of(skipped, altered, swapped)) {
        CompactRange range = new CompactRange(hash);
        leaves.forEach(l -> range.append(hash.leafHash(l)));
        assertThat(range.root()).as("tampered at %d", tampered).isNotEqualTo(truth);
      }
    }
  }

  @Test
  void restoreRefusesHashesThatDoNotFitTheSize() {
    MerkleHash hash = MerkleHash.sha384();
    byte[] h = new byte[48];
    assertThatThrownBy(() -> CompactRange.restore(hash, 3, List.of(h)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CompactRange.restore(hash, 1, List.of(new byte[32])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CompactRange.restore(hash, -1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(CompactRange.restore(hash, 3, List.of(h, h)).size()).isEqualTo(3);
  }
}
