package io.redoubt.protocol.hpke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.protocol.TestVectors;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The protocol suite DHKEM(P-384, HKDF-SHA384)/HKDF-SHA384/AES-256-GCM has no published vectors:
 * the generic code is proven by {@link HpkeRfc9180Test}; here it round-trips, and every binding
 * (recipient key, info, ciphertext, enc, AAD) is shown to matter.
 */
class ProtocolSuiteTest {

  private static final HpkeSuite SUITE = HpkeSuite.PROTOCOL;
  private static final byte[] INFO = "redoubt/v1/recipient".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AAD = new byte[0];
  private final SecureRandom random = new SecureRandom();

  @BeforeAll
  static void fips() {
    TestVectors.installFipsProvider();
  }

  @Test
  void isTheSuiteOfProtocolMd() {
    assertThat(SUITE.kem().id()).isEqualTo(0x0011);
    assertThat(SUITE.kdf().id()).isEqualTo(0x0002);
    assertThat(SUITE.aead().id()).isEqualTo(0x0002);
  }

  @Test
  void roundTripsAMessageKey() throws Exception {
    KeyPair recipient = SUITE.kem().generateKeyPair(random);
    byte[] messageKey = new byte[32];
    random.nextBytes(messageKey);

    Sealed sealed = seal(recipient, INFO, messageKey);

    assertThat(sealed.enc()).hasSize(97);
    assertThat(sealed.ciphertext()).hasSize(32 + 16);
    assertThat(Hpke.open(SUITE, sealed.enc(), recipient, INFO, AAD, sealed.ciphertext()))
        .isEqualTo(messageKey);
  }

  @Test
  void oneEphemeralServesManyRecipientsIndependently() throws Exception {
    KeyPair ephemeral = SUITE.kem().generateKeyPair(random);
    KeyPair alice = SUITE.kem().generateKeyPair(random);
    KeyPair bob = SUITE.kem().generateKeyPair(random);
    byte[] key = new byte[32];

    Sealed toAlice = Hpke.seal(SUITE, publicOf(alice), INFO, AAD, key, ephemeral);
    Sealed toBob = Hpke.seal(SUITE, publicOf(bob), INFO, AAD, key, ephemeral);

    assertThat(toAlice.enc()).isEqualTo(toBob.enc());
    assertThat(toAlice.ciphertext()).isNotEqualTo(toBob.ciphertext());
    assertThat(Hpke.open(SUITE, toBob.enc(), bob, INFO, AAD, toBob.ciphertext())).isEqualTo(key);
    assertThatThrownBy(() -> Hpke.open(SUITE, toBob.enc(), alice, INFO, AAD, toBob.ciphertext()))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void aDifferentRecipientKeyCannotOpen() throws Exception {
    KeyPair recipient = SUITE.kem().generateKeyPair(random);
    KeyPair other = SUITE.kem().generateKeyPair(random);
    Sealed sealed = seal(recipient, INFO, new byte[32]);

    assertThatThrownBy(() -> Hpke.open(SUITE, sealed.enc(), other, INFO, AAD, sealed.ciphertext()))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void aDifferentInfoCannotOpen() throws Exception {
    KeyPair recipient = SUITE.kem().generateKeyPair(random);
    Sealed sealed = seal(recipient, INFO, new byte[32]);
    byte[] otherInfo = "redoubt/v1/recipienT".getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(
            () -> Hpke.open(SUITE, sealed.enc(), recipient, otherInfo, AAD, sealed.ciphertext()))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void everyFlippedCiphertextBitFailsToOpen() throws Exception {
    KeyPair recipient = SUITE.kem().generateKeyPair(random);
    Sealed sealed = seal(recipient, INFO, new byte[32]);
    byte[] ciphertext = sealed.ciphertext();
    int checked = 0;
    for (int bit = 0; bit < ciphertext.length * 8; bit++) {
      byte[] flipped = ciphertext.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThatThrownBy(() -> Hpke.open(SUITE, sealed.enc(), recipient, INFO, AAD, flipped))
          .isInstanceOf(AEADBadTagException.class);
      checked++;
    }
    System.out.println(
        "[vectors] HPKE P-384 suite: " + checked + " flipped ciphertext bits rejected");
  }

  @Test
  void anAlteredEncIsRejected() throws Exception {
    KeyPair recipient = SUITE.kem().generateKeyPair(random);
    Sealed sealed = seal(recipient, INFO, new byte[32]);
    byte[] enc = sealed.enc();
    enc[enc.length - 1] ^= 1;

    assertThatThrownBy(() -> Hpke.open(SUITE, enc, recipient, INFO, AAD, sealed.ciphertext()))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void refusesRecipientKeysOnOtherCurves() throws Exception {
    KeyPair p256 = Kem.DHKEM_P256_HKDF_SHA256.generateKeyPair(random);

    assertThatThrownBy(() -> seal(p256, INFO, new byte[32]))
        .isInstanceOf(java.security.InvalidKeyException.class);
  }

  @Test
  void deriveKeyPairIsDeterministicOnP384() throws Exception {
    byte[] ikm = new byte[48];
    KeyPair first = SUITE.kem().deriveKeyPair(ikm);
    KeyPair second = SUITE.kem().deriveKeyPair(ikm);

    assertThat(SUITE.kem().serializePublicKey(publicOf(first)))
        .isEqualTo(SUITE.kem().serializePublicKey(publicOf(second)));
    Sealed sealed = seal(first, INFO, new byte[32]);
    assertThat(Hpke.open(SUITE, sealed.enc(), second, INFO, AAD, sealed.ciphertext()))
        .isEqualTo(new byte[32]);
  }

  private Sealed seal(KeyPair recipient, byte[] info, byte[] plaintext)
      throws GeneralSecurityException {
    return Hpke.seal(SUITE, publicOf(recipient), info, AAD, plaintext, random);
  }

  private static ECPublicKey publicOf(KeyPair pair) {
    return (ECPublicKey) pair.getPublic();
  }
}
