package io.redoubt.protocol.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import io.redoubt.protocol.TestVectors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Properties over many tree sizes (every size 1..70 and 25 random sizes up to 300, fixed seed so a
 * failure reproduces): every inclusion proof and every consistency proof verifies, and a flipped
 * byte, a wrong index, a wrong size (with that size's true root), or a truncated or extended proof
 * makes it fail. Runs on both SHA-256 and the production SHA-384.
 */
class MerklePropertiesTest {

  private static final long SEED = 0x5EED_2026L;

  @BeforeAll
  static void fips() {
    TestVectors.installFipsProvider();
  }

  @Test
  void everyProofVerifiesAndEveryTamperingFailsWithSha256() {
    checkAll(MerkleHash.of("SHA-256"));
  }

  @Test
  void everyProofVerifiesAndEveryTamperingFailsWithSha384() {
    checkAll(MerkleHash.sha384());
  }

  private static void checkAll(MerkleHash hash) {
    Random random = new Random(SEED);
    long[] sizes =
        LongStream.concat(
                LongStream.rangeClosed(1, 70), random.longs(25, 71, 301).sorted().distinct())
            .toArray();
    long largest = sizes[sizes.length - 1];
    InMemorySubtreeHashes tree = new InMemorySubtreeHashes(hash);
    for (long i = 0; i < largest; i++) {
      tree.append(ByteBuffer.allocate(Long.BYTES).putLong(i * 7919).array());
    }
    MerkleProofs proofs = new MerkleProofs(hash, tree);
    MerkleVerifier verifier = new MerkleVerifier(hash);
    long inclusionChecked = 0;
    long consistencyChecked = 0;
    long tamperingsRejected = 0;
    for (long size : sizes) {
      byte[] root = proofs.root(size);
      for (long index = 0; index < size; index++) {
        byte[] leaf = tree.hash(index, index + 1);
        List<byte[]> proof = proofs.inclusionProof(index, size);
        assertThat(verifier.verifyInclusion(leaf, index, size, proof, root))
            .as("inclusion %d in %d", index, size)
            .isTrue();
        inclusionChecked++;
        for (List<byte[]> bad : tampered(proof, random, hash)) {
          assertThat(verifier.verifyInclusion(leaf, index, size, bad, root)).isFalse();
          tamperingsRejected++;
        }
        long otherIndex = (index + 1 + random.nextInt((int) size)) % size;
        if (otherIndex != index) {
          assertThat(verifier.verifyInclusion(leaf, otherIndex, size, proof, root)).isFalse();
          tamperingsRejected++;
        }
        for (long otherSize : new long[] {size - 1, size + 1}) {
          if (otherSize > index && otherSize <= largest) {
            assertThat(
                    verifier.verifyInclusion(leaf, index, otherSize, proof, proofs.root(otherSize)))
                .as("inclusion %d in %d claimed as %d", index, size, otherSize)
                .isFalse();
            tamperingsRejected++;
          }
        }
      }
      for (long oldSize = 1; oldSize <= size; oldSize++) {
        byte[] oldRoot = proofs.root(oldSize);
        List<byte[]> proof = proofs.consistencyProof(oldSize, size);
        assertThat(verifier.verifyConsistency(oldSize, size, oldRoot, root, proof))
            .as("consistency %d to %d", oldSize, size)
            .isTrue();
        consistencyChecked++;
        if (oldSize == size) {
          continue;
        }
        for (List<byte[]> bad : tampered(proof, random, hash)) {
          assertThat(verifier.verifyConsistency(oldSize, size, oldRoot, root, bad)).isFalse();
          tamperingsRejected++;
        }
        for (long otherOld : new long[] {oldSize - 1, oldSize + 1}) {
          if (otherOld >= 1 && otherOld < size) {
            assertThat(
                    verifier.verifyConsistency(otherOld, size, proofs.root(otherOld), root, proof))
                .as("consistency %d to %d claimed from %d", oldSize, size, otherOld)
                .isFalse();
            tamperingsRejected++;
          }
        }
        if (size + 1 <= largest) {
          assertThat(
                  verifier.verifyConsistency(
                      oldSize, size + 1, oldRoot, proofs.root(size + 1), proof))
              .as("consistency %d to %d claimed to %d", oldSize, size, size + 1)
              .isFalse();
          tamperingsRejected++;
        }
      }
    }
    System.out.printf(
        "[vectors] Merkle properties %s: %d sizes, %d inclusion proofs and %d consistency proofs"
            + " verified, %d tampered variants rejected%n",
        hash, sizes.length, inclusionChecked, consistencyChecked, tamperingsRejected);
  }

  /** A flipped byte in each element, the proof without its last element, and with one extra. */
  private static List<List<byte[]>> tampered(List<byte[]> proof, Random random, MerkleHash hash) {
    List<List<byte[]>> variants = new ArrayList<>();
    for (int i = 0; i < proof.size(); i++) {
      List<byte[]> copy = new ArrayList<>(proof);
      byte[] element = copy.get(i).clone();
      element[random.nextInt(element.length)] ^= (byte) (1 << random.nextInt(8));
      copy.set(i, element);
      variants.add(copy);
    }
    if (!proof.isEmpty()) {
      variants.add(new ArrayList<>(proof.subList(0, proof.size() - 1)));
    }
    List<byte[]> longer = new ArrayList<>(proof);
    longer.add(new byte[hash.length()]);
    variants.add(longer);
    return variants;
  }
}
