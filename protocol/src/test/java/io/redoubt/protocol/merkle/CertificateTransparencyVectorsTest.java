package io.redoubt.protocol.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import io.redoubt.protocol.TestVectors;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC 6962 reference test data with SHA-256: eight leaves, the roots of the trees of sizes
 * 0..8, and known inclusion and consistency paths. Source: the Certificate Transparency reference
 * implementation's merkle_tree_test data as carried by transparency-dev/merkle, files
 * testonly/constants.go (LeafInputs, RootHashes) and testonly/reference_test.go
 * (TestRefInclusionProof, TestRefConsistencyProof). Values transcribed as published.
 */
class CertificateTransparencyVectorsTest {

  private static final String[] LEAVES = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f"
  };

  private static final String[] ROOTS = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
  };

  private static final MerkleHash SHA256 = MerkleHash.of("SHA-256");
  private static InMemorySubtreeHashes tree;
  private static MerkleProofs proofs;
  private static final MerkleVerifier VERIFIER = new MerkleVerifier(SHA256);

  @BeforeAll
  static void build() {
    TestVectors.installFipsProvider();
    tree = new InMemorySubtreeHashes(SHA256);
    for (String leaf : LEAVES) {
      tree.append(Hex.decode(leaf));
    }
    proofs = new MerkleProofs(SHA256, tree);
  }

  @Test
  void rootsOfSizesZeroToEightMatch() {
    for (int size = 0; size <= 8; size++) {
      assertThat(Hex.toHexString(proofs.root(size))).as("root of %d", size).isEqualTo(ROOTS[size]);
    }
    System.out.println("[vectors] CT Merkle SHA-256: 9 roots (sizes 0..8) match");
  }

  static Stream<Arguments> inclusionPaths() {
    return Stream.of(
        Arguments.of(0, 1, List.of()),
        Arguments.of(
            0, 2, List.of("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7")),
        Arguments.of(
            1, 2, List.of("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")),
        Arguments.of(
            2, 3, List.of("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
        Arguments.of(
            1,
            5,
            List.of(
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
        Arguments.of(
            0,
            8,
            List.of(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
        Arguments.of(
            5,
            8,
            List.of(
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));
  }

  @ParameterizedTest
  @MethodSource("inclusionPaths")
  void inclusionPathsMatchAndVerify(int index, int size, List<String> expected) {
    List<byte[]> proof = proofs.inclusionProof(index, size);

    assertThat(proof).extracting(Hex::toHexString).containsExactlyElementsOf(expected);
    assertThat(
            VERIFIER.verifyInclusion(
                SHA256.leafHash(Hex.decode(LEAVES[index])),
                index,
                size,
                proof,
                Hex.decode(ROOTS[size])))
        .isTrue();
  }

  static Stream<Arguments> consistencyPaths() {
    return Stream.of(
        Arguments.of(1, 1, List.of()),
        Arguments.of(
            1,
            8,
            List.of(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
        Arguments.of(
            2,
            5,
            List.of(
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
        Arguments.of(
            6,
            8,
            List.of(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));
  }

  @ParameterizedTest
  @MethodSource("consistencyPaths")
  void consistencyPathsMatchAndVerify(int oldSize, int newSize, List<String> expected) {
    List<byte[]> proof = proofs.consistencyProof(oldSize, newSize);

    assertThat(proof).extracting(Hex::toHexString).containsExactlyElementsOf(expected);
    assertThat(
            VERIFIER.verifyConsistency(
                oldSize, newSize, Hex.decode(ROOTS[oldSize]), Hex.decode(ROOTS[newSize]), proof))
        .isTrue();
  }
}
