package io.redoubt.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.protocol.TestVectors;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MessageKeyTest {

  private static final byte[] AAD = "header-hash".getBytes(StandardCharsets.UTF_8);
  private final SecureRandom random = new SecureRandom();

  @BeforeAll
  static void fips() {
    TestVectors.installFipsProvider();
  }

  @Test
  void sealsOnceAndTheRecipientOpens() throws Exception {
    MessageKey key = MessageKey.generate(random);
    byte[] content = "hello".getBytes(StandardCharsets.UTF_8);

    SealedContent sealed = key.seal(content, AAD, random);
    MessageKey received = MessageKey.received(key.exportForWrapping());

    assertThat(sealed.nonce()).hasSize(12);
    assertThat(received.open(sealed, AAD)).isEqualTo(content);
  }

  @Test
  void refusesASecondSealSoKeyAndNonceCannotRepeat() throws Exception {
    MessageKey key = MessageKey.generate(random);
    key.seal(new byte[1], AAD, random);

    assertThatThrownBy(() -> key.seal(new byte[1], AAD, random))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aReceivedKeyCannotSeal() {
    MessageKey received = MessageKey.received(new byte[MessageKey.LENGTH]);

    assertThatThrownBy(() -> received.seal(new byte[1], AAD, random))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void detectsAlteredContentOrHeader() throws Exception {
    MessageKey key = MessageKey.generate(random);
    SealedContent sealed = key.seal(new byte[10], AAD, random);
    byte[] flipped = sealed.ciphertext();
    flipped[0] ^= 1;

    assertThatThrownBy(() -> key.open(new SealedContent(sealed.nonce(), flipped), AAD))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(() -> key.open(sealed, new byte[] {1}))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void destroyZeroesAndNeverPrintsTheKey() {
    MessageKey key = MessageKey.generate(random);
    key.destroy();

    assertThat(key.isDestroyed()).isTrue();
    assertThat(key.toString()).doesNotContainPattern("[0-9a-f]{8}");
    assertThatThrownBy(key::exportForWrapping).isInstanceOf(IllegalStateException.class);
  }
}
