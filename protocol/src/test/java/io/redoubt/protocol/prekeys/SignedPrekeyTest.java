package io.redoubt.protocol.prekeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.TestVectors;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignedPrekeyTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final UUID DEVICE = UUID.fromString("0190a3c4-1111-7000-8000-000000000001");

  private static KeyPair identity;
  private static KeyPair prekey;

  @BeforeAll
  static void keys() throws Exception {
    TestVectors.installFipsProvider();
    identity = p384();
    prekey = p384();
  }

  private static KeyPair p384() throws Exception {
    return keyPair("P-384");
  }

  private static KeyPair keyPair(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  private static SignedPrekey signed(Instant expiresAt) throws Exception {
    return SignedPrekey.sign(
        DEVICE, 7, (ECPublicKey) prekey.getPublic(), expiresAt, identity.getPrivate());
  }

  @Test
  void verifiesUnderTheDevicesIdentityKey() throws Exception {
    SignedPrekey signed = signed(NOW.plus(Duration.ofDays(7)));

    assertThatCode(() -> signed.verify((ECPublicKey) identity.getPublic(), NOW))
        .doesNotThrowAnyException();
    assertThat(signed.publicKey()).isEqualTo(prekey.getPublic().getEncoded());
  }

  @Test
  void everySignedFieldIsBound() throws Exception {
    SignedPrekey genuine = signed(NOW.plus(Duration.ofDays(7)));
    ECPublicKey verifier = (ECPublicKey) identity.getPublic();
    var forgeries =
        new SignedPrekey[] {
          new SignedPrekey(
              UUID.randomUUID(), 7, genuine.publicKey(), genuine.expiresAt(), genuine.signature()),
          new SignedPrekey(
              DEVICE, 8, genuine.publicKey(), genuine.expiresAt(), genuine.signature()),
          new SignedPrekey(
              DEVICE, 7, p384().getPublic().getEncoded(), genuine.expiresAt(), genuine.signature()),
          new SignedPrekey(
              DEVICE,
              7,
              genuine.publicKey(),
              genuine.expiresAt().plusSeconds(1),
              genuine.signature()),
        };

    for (SignedPrekey forged : forgeries) {
      assertThatThrownBy(() -> forged.verify(verifier, NOW))
          .as(forged.toString())
          .isInstanceOf(InvalidPrekeyException.class)
          .hasMessageContaining("not signed by this device's identity key");
    }
  }

  @Test
  void anotherDevicesSignatureIsRefused() throws Exception {
    SignedPrekey signed = signed(NOW.plus(Duration.ofDays(7)));

    assertThatThrownBy(() -> signed.verify((ECPublicKey) p384().getPublic(), NOW))
        .isInstanceOf(InvalidPrekeyException.class);
  }

  @Test
  void anExpiredPrekeyIsRefused() throws Exception {
    SignedPrekey signed = signed(NOW);

    assertThatThrownBy(() -> signed.verify((ECPublicKey) identity.getPublic(), NOW))
        .isInstanceOf(InvalidPrekeyException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void onlyP384PrekeysCanBeSigned() throws Exception {
    KeyPair p256 = keyPair("P-256");

    assertThatThrownBy(
            () ->
                SignedPrekey.sign(
                    DEVICE,
                    1,
                    (ECPublicKey) p256.getPublic(),
                    NOW.plusSeconds(60),
                    identity.getPrivate()))
        .isInstanceOf(DisallowedKeyException.class);
  }

  @Test
  void theSignedBytesFollowTheTbsLayout() {
    byte[] tbs = SignedPrekey.toBeSigned(DEVICE, 7, new byte[] {1, 2, 3}, NOW);

    // label "redoubt/v1/prekey" (17), device id (16), prekey id (8), key (3), expiry (8);
    // each field behind a 4-byte length.
    assertThat(tbs).hasSize(5 * 4 + 17 + 16 + 8 + 3 + 8);
    assertThat(new String(tbs, 4, 17, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("redoubt/v1/prekey");
  }
}
