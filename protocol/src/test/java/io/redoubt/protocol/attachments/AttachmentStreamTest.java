package io.redoubt.protocol.attachments;

import static io.redoubt.protocol.attachments.AttachmentFormat.CHUNK_SIZE;
import static io.redoubt.protocol.attachments.AttachmentFormat.HEADER_LENGTH;
import static io.redoubt.protocol.attachments.AttachmentFormat.TAG_LENGTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.protocol.TestVectors;
import io.redoubt.protocol.crypto.HashFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttachmentStreamTest {

  private static final int SEALED_CHUNK = CHUNK_SIZE + TAG_LENGTH;

  private final SecureRandom random = new SecureRandom();

  @BeforeAll
  static void fips() {
    TestVectors.installFipsProvider();
  }

  /** A sealed file with the key that opens it. */
  record Sealed(byte[] plaintext, byte[] ciphertext, SealedAttachment result, byte[] key) {
    AttachmentOpener opener(byte[] ciphertext) {
      return new AttachmentOpener(
          new ByteArrayInputStream(ciphertext), AttachmentKey.received(key), result.digest());
    }

    /** Opens {@code ciphertext} (possibly altered) under the digest of what it claims to be. */
    AttachmentOpener openerTrustingItsDigest(byte[] ciphertext) {
      return new AttachmentOpener(
          new ByteArrayInputStream(ciphertext),
          AttachmentKey.received(key),
          HashFunction.SHA384.digest(ciphertext));
    }
  }

  private Sealed seal(int size) throws Exception {
    byte[] plaintext = new byte[size];
    new Random(size).nextBytes(plaintext);
    AttachmentKey key = AttachmentKey.generate(random);
    byte[] keyBytes = key.export();
    AttachmentSealer sealer =
        AttachmentSealer.seal(new ByteArrayInputStream(plaintext), key, random);
    byte[] ciphertext = sealer.readAllBytes();
    return new Sealed(plaintext, ciphertext, sealer.sealed(), keyBytes);
  }

  @ParameterizedTest
  @ValueSource(
      ints = {0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE, 3 * CHUNK_SIZE + 7})
  void opensToThePlaintextWithTheLengthAndDigestTheFormatPredicts(int size) throws Exception {
    Sealed sealed = seal(size);

    assertThat(sealed.ciphertext()).hasSize((int) AttachmentFormat.ciphertextLength(size));
    assertThat(sealed.result().ciphertextLength()).isEqualTo(sealed.ciphertext().length);
    assertThat(sealed.result().plaintextLength()).isEqualTo(size);
    assertThat(sealed.result().digest()).isEqualTo(HashFunction.SHA384.digest(sealed.ciphertext()));
    AttachmentOpener opener = sealed.opener(sealed.ciphertext());
    assertThat(opener.readAllBytes()).isEqualTo(sealed.plaintext());
    assertThat(opener.plaintextLength()).isEqualTo(size);
  }

  @Test
  void anEmptyFileIsOneEmptyLastChunkAndAnExactMultipleEndsInAFullOne() throws Exception {
    assertThat(seal(0).ciphertext()).hasSize(HEADER_LENGTH + TAG_LENGTH);
    Sealed two = seal(2 * CHUNK_SIZE);
    assertThat(two.ciphertext()).hasSize(HEADER_LENGTH + 2 * SEALED_CHUNK);
  }

  @Test
  void theHeaderSaysFormatVersionAndChunkSize() throws Exception {
    byte[] header = Arrays.copyOf(seal(10).ciphertext(), HEADER_LENGTH);

    assertThat(new String(header, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("RDBA");
    assertThat(header[4]).isEqualTo((byte) 1);
    assertThat(java.nio.ByteBuffer.wrap(header, 5, 4).getInt()).isEqualTo(CHUNK_SIZE);
  }

  /** Offsets worth a bit flip: every header byte, each chunk's first, middle and tag bytes. */
  private static List<Integer> offsetsToFlip(int ciphertextLength) {
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < HEADER_LENGTH; i++) {
      offsets.add(i);
    }
    for (int start = HEADER_LENGTH; start < ciphertextLength; start += SEALED_CHUNK) {
      int end = Math.min(ciphertextLength, start + SEALED_CHUNK);
      offsets.addAll(List.of(start, (start + end) / 2, end - TAG_LENGTH, end - 1));
    }
    return offsets;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 100, 2 * CHUNK_SIZE + 100})
  void aFlippedBitAnywhereIsRefusedEvenUnderTheAlteredFilesOwnDigest(int size) throws Exception {
    Sealed sealed = seal(size);
    for (int offset : offsetsToFlip(sealed.ciphertext().length)) {
      byte[] altered = sealed.ciphertext().clone();
      altered[offset] ^= 0x01;
      assertThatThrownBy(() -> sealed.openerTrustingItsDigest(altered).readAllBytes())
          .as("bit flipped at %d", offset)
          .isInstanceOf(AttachmentIntegrityException.class);
      assertThatThrownBy(() -> sealed.opener(altered).readAllBytes())
          .isInstanceOf(AttachmentIntegrityException.class);
    }
  }

  @Test
  void truncationAnywhereIsRefused() throws Exception {
    Sealed sealed = seal(3 * CHUNK_SIZE + 7);
    int length = sealed.ciphertext().length;
    for (int cut :
        List.of(
            0,
            HEADER_LENGTH - 1,
            HEADER_LENGTH,
            HEADER_LENGTH + 5,
            HEADER_LENGTH + SEALED_CHUNK, // whole chunks only: the flag gives it away
            HEADER_LENGTH + 3 * SEALED_CHUNK,
            length - 1)) {
      byte[] truncated = Arrays.copyOf(sealed.ciphertext(), cut);
      assertThatThrownBy(() -> sealed.openerTrustingItsDigest(truncated).readAllBytes())
          .as("cut at %d", cut)
          .isInstanceOf(AttachmentIntegrityException.class);
    }
  }

  @Test
  void truncationToWholeChunksOfAnExactMultipleIsRefused() throws Exception {
    Sealed sealed = seal(3 * CHUNK_SIZE);
    byte[] twoChunks = Arrays.copyOf(sealed.ciphertext(), HEADER_LENGTH + 2 * SEALED_CHUNK);

    assertThatThrownBy(() -> sealed.openerTrustingItsDigest(twoChunks).readAllBytes())
        .isInstanceOf(AttachmentIntegrityException.class)
        .hasMessageContaining("chunk 1");
  }

  @Test
  void reorderedDuplicatedOrAppendedChunksAreRefused() throws Exception {
    Sealed sealed = seal(3 * CHUNK_SIZE + 7);
    byte[] c = sealed.ciphertext();
    byte[] swapped = c.clone();
    System.arraycopy(c, HEADER_LENGTH + SEALED_CHUNK, swapped, HEADER_LENGTH, SEALED_CHUNK);
    System.arraycopy(c, HEADER_LENGTH, swapped, HEADER_LENGTH + SEALED_CHUNK, SEALED_CHUNK);
    byte[] duplicated = c.clone();
    System.arraycopy(c, HEADER_LENGTH, duplicated, HEADER_LENGTH + SEALED_CHUNK, SEALED_CHUNK);
    ByteArrayOutputStream appended = new ByteArrayOutputStream();
    appended.write(c);
    appended.write(c, HEADER_LENGTH, SEALED_CHUNK);

    for (byte[] altered : List.of(swapped, duplicated, appended.toByteArray())) {
      assertThatThrownBy(() -> sealed.openerTrustingItsDigest(altered).readAllBytes())
          .isInstanceOf(AttachmentIntegrityException.class);
    }
  }

  @Test
  void aChunkFromAnotherFileUnderTheSameKeyIsRefusedThanksToTheNoncePrefix() throws Exception {
    // The public entry never seals twice with one key; this is the second line if a key repeated.
    byte[] key = new byte[AttachmentKey.LENGTH];
    random.nextBytes(key);
    byte[] plaintext = new byte[2 * CHUNK_SIZE + 1];
    byte[] first = sealWith(key, new byte[] {1, 1, 1, 1, 1, 1, 1}, plaintext);
    byte[] second = sealWith(key, new byte[] {2, 2, 2, 2, 2, 2, 2}, plaintext);
    byte[] spliced = first.clone();
    System.arraycopy(second, HEADER_LENGTH, spliced, HEADER_LENGTH, SEALED_CHUNK);

    assertThatThrownBy(
            () ->
                new AttachmentOpener(
                        new ByteArrayInputStream(spliced),
                        AttachmentKey.received(key),
                        HashFunction.SHA384.digest(spliced))
                    .readAllBytes())
        .isInstanceOf(AttachmentIntegrityException.class)
        .hasMessageContaining("chunk 0");
  }

  private static byte[] sealWith(byte[] key, byte[] prefix, byte[] plaintext) throws Exception {
    return new AttachmentSealer(new ByteArrayInputStream(plaintext), key, prefix).readAllBytes();
  }

  @Test
  void anotherKeyOpensNothing() throws Exception {
    Sealed sealed = seal(CHUNK_SIZE + 1);
    AttachmentOpener opener =
        new AttachmentOpener(
            new ByteArrayInputStream(sealed.ciphertext()),
            AttachmentKey.generate(random),
            sealed.result().digest());

    assertThatThrownBy(() -> opener.read(new byte[10]))
        .isInstanceOf(AttachmentIntegrityException.class)
        .hasMessageContaining("chunk 0");
    assertThatThrownBy(() -> opener.read(new byte[10]))
        .as("a failed opener stays failed")
        .isInstanceOf(AttachmentIntegrityException.class);
  }

  @Test
  void anotherDigestWithholdsTheLastChunk() throws Exception {
    Sealed sealed = seal(2 * CHUNK_SIZE + 100);
    byte[] otherDigest = sealed.result().digest();
    otherDigest[0] ^= 1;
    AttachmentOpener opener =
        new AttachmentOpener(
            new ByteArrayInputStream(sealed.ciphertext()),
            AttachmentKey.received(sealed.key()),
            otherDigest);

    ByteArrayOutputStream released = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    assertThatThrownBy(
            () -> {
              for (int n; (n = opener.read(buffer)) >= 0; ) {
                released.write(buffer, 0, n);
              }
            })
        .isInstanceOf(AttachmentIntegrityException.class)
        .hasMessageContaining("digest");
    assertThat(released.size()).isEqualTo(2 * CHUNK_SIZE);
  }

  @Test
  void otherVersionsAndChunkSizesAreRefusedBeforeAnyDecryption() throws Exception {
    Sealed sealed = seal(10);
    byte[] version2 = sealed.ciphertext().clone();
    version2[4] = 2;
    byte[] smallChunks = sealed.ciphertext().clone();
    smallChunks[7] = 0x10;

    assertThatThrownBy(() -> sealed.openerTrustingItsDigest(version2).readAllBytes())
        .hasMessageContaining("version 2");
    assertThatThrownBy(() -> sealed.openerTrustingItsDigest(smallChunks).readAllBytes())
        .hasMessageContaining("chunk size");
  }

  @Test
  void aKeySealsOneFileOnlyAndAReceivedKeyNone() throws Exception {
    AttachmentKey key = AttachmentKey.generate(random);
    AttachmentSealer.seal(InputStream.nullInputStream(), key, random);

    assertThatThrownBy(() -> AttachmentSealer.seal(InputStream.nullInputStream(), key, random))
        .isInstanceOf(IllegalStateException.class);
    AttachmentKey received = AttachmentKey.received(key.export());
    assertThatThrownBy(() -> AttachmentSealer.seal(InputStream.nullInputStream(), received, random))
        .isInstanceOf(IllegalStateException.class);
    assertThat(received).hasToString("AttachmentKey[redacted]");
    received.destroy();
    assertThatThrownBy(received::export).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theResultIsKnownOnlyOnceTheCiphertextWasReadToItsEnd() throws Exception {
    AttachmentSealer sealer =
        AttachmentSealer.seal(
            new ByteArrayInputStream(new byte[100]), AttachmentKey.generate(random), random);
    sealer.read(new byte[HEADER_LENGTH]);

    assertThatThrownBy(sealer::sealed).isInstanceOf(IllegalStateException.class);
    sealer.readAllBytes();
    assertThat(sealer.sealed().plaintextLength()).isEqualTo(100);
  }

  /**
   * A file far larger than any buffer passes sealer and opener while neither ever holds more than a
   * few chunks of it: the plaintext read in never runs more than 4 chunks ahead of the plaintext
   * released at the other end.
   */
  @Test
  void aLargeFileFlowsThroughInBoundedMemory() throws Exception {
    long size = 64L * 1024 * 1024 + 13;
    byte[] key = new byte[AttachmentKey.LENGTH];
    byte[] prefix = new byte[AttachmentFormat.NONCE_PREFIX_LENGTH];
    random.nextBytes(key);
    random.nextBytes(prefix);
    // The opener wants the digest first, as a recipient has it from the message: a first pass
    // with the same key and prefix (deterministic) computes it.
    AttachmentSealer first = new AttachmentSealer(new PatternSource(size), key, prefix);
    first.transferTo(java.io.OutputStream.nullOutputStream());
    byte[] digest = first.sealed().digest();

    PatternSource source = new PatternSource(size);
    AttachmentSealer sealer = new AttachmentSealer(source, key, prefix);
    AttachmentOpener opener = new AttachmentOpener(sealer, AttachmentKey.received(key), digest);
    MessageDigest opened = Streams.sha384();
    byte[] buffer = new byte[8192];
    long released = 0;
    long worstLag = 0;
    for (int n; (n = opener.read(buffer)) >= 0; ) {
      opened.update(buffer, 0, n);
      released += n;
      worstLag = Math.max(worstLag, source.served - released);
    }
    System.out.printf(
        "%d MiB through sealer and opener; worst lag %d KiB%n", size >> 20, worstLag >> 10);

    assertThat(released).isEqualTo(size);
    assertThat(opened.digest()).isEqualTo(new PatternSource(size).sha384());
    assertThat(worstLag).isLessThanOrEqualTo(4L * CHUNK_SIZE);
    assertThat(sealer.sealed().ciphertextLength())
        .isEqualTo(AttachmentFormat.ciphertextLength(size));
  }

  /** {@code size} bytes of a cheap pattern, counting what was served. */
  private static final class PatternSource extends InputStream {
    private final long size;
    long served;

    PatternSource(long size) {
      this.size = size;
    }

    byte[] sha384() throws IOException {
      MessageDigest digest = Streams.sha384();
      byte[] buffer = new byte[CHUNK_SIZE];
      for (int n; (n = read(buffer, 0, buffer.length)) >= 0; ) {
        digest.update(buffer, 0, n);
      }
      return digest.digest();
    }

    @Override
    public int read() {
      return served < size ? (int) (served++ * 31 & 0xff) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (served >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - served);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) ((served + i) * 31);
      }
      served += n;
      return n;
    }
  }
}
