package io.redoubt.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import io.redoubt.protocol.merkle.InMemorySubtreeHashes;
import io.redoubt.protocol.merkle.MerkleHash;
import io.redoubt.protocol.merkle.MerkleProofs;
import io.redoubt.protocol.merkle.MerkleVerifier;
import java.nio.ByteBuffer;
import java.security.Security;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proofs assembled from stored perfect subtrees equal the protocol module's proofs over the whole
 * tree, with one lookup per answer.
 */
class LogProofsTest {

  private static final int LEAVES = 300;
  private static MerkleHash hash;
  private static InMemorySubtreeHashes reference;
  private static Map<PerfectSubtree, byte[]> stored;

  @BeforeAll
  static void appendLeaves() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
    hash = MerkleHash.sha384();
    reference = new InMemorySubtreeHashes(hash);
    stored = new HashMap<>();
    for (int i = 0; i < LEAVES; i++) {
      byte[] leaf = ByteBuffer.allocate(8).putLong(i * 7919L).array();
      reference.append(leaf);
      stored.putAll(LogProofs.completedBy(hash, i, hash.leafHash(leaf), stored::get));
    }
  }

  @Test
  void storesOneHashPerPerfectSubtree() {
    // n leaves make n leaf hashes and n - popcount(n) inner perfect subtrees.
    assertThat(stored).hasSize(2 * LEAVES - Integer.bitCount(LEAVES));
  }

  @Test
  void rootsAndProofsMatchTheReferenceTreeWithOneLookupEach() {
    AtomicInteger lookups = new AtomicInteger();
    LogProofs proofs = new LogProofs(hash, counting(lookups));
    MerkleProofs expected = new MerkleProofs(hash, reference);
    MerkleVerifier verifier = new MerkleVerifier(hash);

    for (long size = 1; size <= LEAVES; size += 13) {
      byte[] root = proofs.root(size);
      assertThat(root).isEqualTo(expected.root(size));
      for (long index = 0; index < size; index += 5) {
        List<byte[]> path = proofs.inclusionProof(index, size);
        assertThat(path).containsExactlyElementsOf(expected.inclusionProof(index, size));
        assertThat(
                verifier.verifyInclusion(reference.hash(index, index + 1), index, size, path, root))
            .isTrue();
      }
      for (long old = 1; old <= size; old += 17) {
        assertThat(proofs.consistencyProof(old, size))
            .containsExactlyElementsOf(expected.consistencyProof(old, size));
      }
    }
    assertThat(proofs.root(0)).isEqualTo(hash.emptyRoot());

    lookups.set(0);
    proofs.inclusionProof(123, LEAVES);
    assertThat(lookups).hasValue(1);
  }

  @Test
  void theProofsOfManyLeavesComeFromOneLookupAndEqualEachOnItsOwn() {
    AtomicInteger lookups = new AtomicInteger();
    LogProofs proofs = new LogProofs(hash, counting(lookups));
    List<Long> indexes = List.of(0L, 7L, 123L, 299L, 7L, 150L);

    Map<Long, List<byte[]>> all = proofs.inclusionProofs(indexes, LEAVES);

    assertThat(lookups).hasValue(1);
    assertThat(all.keySet()).containsExactly(0L, 7L, 123L, 299L, 150L);
    MerkleProofs expected = new MerkleProofs(hash, reference);
    all.forEach(
        (index, path) ->
            assertThat(path).containsExactlyElementsOf(expected.inclusionProof(index, LEAVES)));
  }

  private static SubtreeLookup counting(AtomicInteger lookups) {
    return subtrees -> {
      lookups.incrementAndGet();
      Map<PerfectSubtree, byte[]> found = new HashMap<>();
      subtrees.forEach(s -> found.put(s, stored.get(s)));
      return found;
    };
  }
}
