package io.redoubt.client.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Security;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.crypto.KeyAgreement;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrekeyVaultTest {

  private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
  private static final UUID DEVICE = UUID.randomUUID();

  @TempDir Path profile;
  private DeviceKeyStore keys;

  @BeforeAll
  static void fipsProvider() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.insertProviderAt(new BouncyCastleFipsProvider(), 1);
    }
  }

  @BeforeEach
  void device() throws Exception {
    keys = DeviceKeyStore.create(profile.resolve("device-keys.bcfks"), PASSPHRASE.clone(), "d");
  }

  private Path vaultFile() {
    return profile.resolve("prekeys.vault");
  }

  @Test
  void publishesSignedPrekeysAndKeepsTheirPrivateHalves() throws Exception {
    PrekeyVault vault = PrekeyVault.open(vaultFile(), keys, DEVICE);
    Instant expiry = Instant.now().plus(Duration.ofDays(7));

    var published = vault.generate(3, expiry, true);

    ECPublicKey identity = (ECPublicKey) keys.chain()[0].getPublicKey();
    for (var prekey : published) {
      assertThatCode(() -> prekey.verify(identity, Instant.now())).doesNotThrowAnyException();
      assertThat(prekey.deviceId()).isEqualTo(DEVICE);
    }
    assertThat(published).extracting(p -> p.prekeyId()).containsExactly(1L, 2L, 3L);

    // The private half kept agrees with the published public half (same ECDH secret).
    PrekeyVault reopened =
        PrekeyVault.open(
            vaultFile(),
            DeviceKeyStore.open(profile.resolve("device-keys.bcfks"), PASSPHRASE),
            DEVICE);
    var kf = KeyFactory.getInstance("EC", "BCFIPS");
    var published2 = kf.generatePublic(new X509EncodedKeySpec(published.get(1).publicKey()));
    var mine = KeyAgreement.getInstance("ECCDH", "BCFIPS");
    mine.init(reopened.privateKey(2).orElseThrow());
    mine.doPhase(published2, true);
    assertThat(mine.generateSecret()).hasSize(48);
  }

  @Test
  void aDestroyedPrekeyIsGoneAndItsIdNeverReturns() throws Exception {
    PrekeyVault vault = PrekeyVault.open(vaultFile(), keys, DEVICE);
    vault.generate(2, Instant.now().plusSeconds(3600), true);

    vault.destroy(1);

    PrekeyVault reopened = PrekeyVault.open(vaultFile(), keys, DEVICE);
    assertThat(reopened.privateKey(1)).isEmpty();
    assertThat(reopened.size()).isEqualTo(1);
    assertThat(reopened.generate(1, Instant.now().plusSeconds(3600), true).get(0).prekeyId())
        .isEqualTo(3L);
  }

  @Test
  void theVaultIsEncryptedAndBoundToItsDevice() throws Exception {
    PrekeyVault vault = PrekeyVault.open(vaultFile(), keys, DEVICE);
    vault.generate(1, Instant.now().plusSeconds(3600), true);
    byte[] pkcs8 = vault.privateKey(1).orElseThrow().getEncoded();

    byte[] stored = Files.readAllBytes(vaultFile());
    assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain(new String(pkcs8, java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> PrekeyVault.open(vaultFile(), keys, UUID.randomUUID()))
        .isInstanceOf(java.security.GeneralSecurityException.class);

    stored[stored.length - 1] ^= 1;
    Files.write(vaultFile(), stored);
    assertThatThrownBy(() -> PrekeyVault.open(vaultFile(), keys, DEVICE))
        .isInstanceOf(java.security.GeneralSecurityException.class);
  }

  @Test
  void aUsedOneTimePrekeyIsDestroyedAcrossReopensButASignedOneStays() throws Exception {
    PrekeyVault vault = PrekeyVault.open(vaultFile(), keys, DEVICE);
    long signed = vault.generate(1, Instant.now().plusSeconds(3600), false).get(0).prekeyId();
    long oneTime = vault.generate(1, Instant.now().plusSeconds(3600), true).get(0).prekeyId();

    PrekeyVault reopened = PrekeyVault.open(vaultFile(), keys, DEVICE);
    assertThat(reopened.isOneTime(oneTime)).isTrue();
    assertThat(reopened.isOneTime(signed)).isFalse();
    assertThat(reopened.used(signed)).isFalse();
    assertThat(reopened.used(oneTime)).isTrue();

    PrekeyVault after = PrekeyVault.open(vaultFile(), keys, DEVICE);
    assertThat(after.keyPair(oneTime)).isEmpty();
    assertThat(after.keyPair(signed)).isPresent();
  }

  @Test
  void aKeptPrekeyComesBackAsTheKeyPairThatWasPublished() throws Exception {
    PrekeyVault vault = PrekeyVault.open(vaultFile(), keys, DEVICE);
    var published = vault.generate(1, Instant.now().plusSeconds(3600), true).get(0);

    var pair = PrekeyVault.open(vaultFile(), keys, DEVICE).keyPair(published.prekeyId());

    assertThat(pair.orElseThrow().getPublic().getEncoded()).isEqualTo(published.publicKey());
  }
}
