package io.redoubt.client.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.protocol.ProtocolCurves;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceKeyStoreTest {

  private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

  @TempDir Path profile;

  @BeforeAll
  static void fipsProvider() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.insertProviderAt(new BouncyCastleFipsProvider(), 1);
    }
  }

  private Path file() {
    return profile.resolve("device-keys.bcfks");
  }

  @Test
  void keepsAP384IdentityKeyAcrossOpens() throws Exception {
    DeviceKeyStore created = DeviceKeyStore.create(file(), PASSPHRASE.clone(), "alice laptop");

    DeviceKeyStore reopened = DeviceKeyStore.open(file(), PASSPHRASE.clone());

    ECPublicKey key = (ECPublicKey) reopened.chain()[0].getPublicKey();
    assertThat(ProtocolCurves.isP384(key.getParams())).isTrue();
    assertThat(reopened.chain()[0]).isEqualTo(created.chain()[0]);
    assertThat(reopened.identityKey().getEncoded()).isEqualTo(created.identityKey().getEncoded());
    assertThat(reopened.isEnrolled()).isFalse();
  }

  @Test
  void theFileIsPrivateAndHoldsNoKeyInClear() throws Exception {
    DeviceKeyStore keys = DeviceKeyStore.create(file(), PASSPHRASE.clone(), "alice laptop");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
        .isEqualTo("rw-------");
    byte[] stored = Files.readAllBytes(file());
    byte[] privateKey = keys.identityKey().getEncoded();
    assertThat(
            indexOf(
                stored,
                java.util.Arrays.copyOfRange(
                    privateKey, privateKey.length - 32, privateKey.length)))
        .as("the private scalar's bytes do not appear in the file")
        .isEqualTo(-1);
  }

  @Test
  void aWrongPassphraseIsNamedAsSuch() throws Exception {
    DeviceKeyStore.create(file(), PASSPHRASE.clone(), "alice laptop");

    assertThatThrownBy(() -> DeviceKeyStore.open(file(), "not the passphrase!".toCharArray()))
        .isInstanceOf(DeviceKeyStore.WrongPassphraseException.class);
  }

  @Test
  void refusesShortPassphrasesAndOverwriting() throws Exception {
    assertThatThrownBy(() -> DeviceKeyStore.create(file(), "short".toCharArray(), "x"))
        .isInstanceOf(DeviceKeyStore.WeakPassphraseException.class)
        .hasMessageContaining("14");
    DeviceKeyStore.create(file(), PASSPHRASE.clone(), "alice laptop");
    assertThatThrownBy(() -> DeviceKeyStore.create(file(), PASSPHRASE.clone(), "again"))
        .hasMessageContaining("already exists");
  }

  @Test
  void theCertificationRequestProvesPossessionOfTheKey() throws Exception {
    DeviceKeyStore keys = DeviceKeyStore.create(file(), PASSPHRASE.clone(), "alice, laptop");

    java.util.UUID deviceId = java.util.UUID.randomUUID();
    var request = keys.certificationRequest(deviceId);

    assertThat(
            request.isSignatureValid(
                new JcaContentVerifierProviderBuilder()
                    .setProvider("BCFIPS")
                    .build(request.getSubjectPublicKeyInfo())))
        .isTrue();
    assertThat(request.getSubjectPublicKeyInfo().getEncoded())
        .isEqualTo(keys.chain()[0].getPublicKey().getEncoded());
    assertThat(request.getSubject()).hasToString("CN=" + deviceId);
    assertThat(keys.certificationRequest(null).getSubject().getRDNs()).isEmpty();
  }

  @Test
  void acceptsOnlyAnIssuedChainForItsOwnKey() throws Exception {
    DeviceKeyStore keys = DeviceKeyStore.create(file(), PASSPHRASE.clone(), "alice laptop");
    var generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("P-384"));
    var caKeys = generator.generateKeyPair();
    X509Certificate ca = io.redoubt.client.device.TestCa.selfSigned(caKeys, "CN=Test CA");
    X509Certificate issued =
        io.redoubt.client.device.TestCa.issue(caKeys, ca, keys.chain()[0].getPublicKey());
    X509Certificate foreign =
        io.redoubt.client.device.TestCa.issue(caKeys, ca, generator.generateKeyPair().getPublic());

    assertThatThrownBy(() -> keys.installIssuedChain(new X509Certificate[] {foreign, ca}))
        .hasMessageContaining("not for this device's key");
    keys.installIssuedChain(new X509Certificate[] {issued, ca});

    DeviceKeyStore reopened = DeviceKeyStore.open(file(), PASSPHRASE.clone());
    assertThat(reopened.isEnrolled()).isTrue();
    assertThat(reopened.chain()).containsExactly(issued, ca);
    assertThat(issued.getNotAfter().toInstant()).isAfter(Instant.now());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
