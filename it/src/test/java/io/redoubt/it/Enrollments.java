package io.redoubt.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redoubt.client.device.DeviceKeyStore;
import io.redoubt.protocol.api.PublishedPrekey;
import io.redoubt.protocol.prekeys.SignedPrekey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Builds enrollment and prekey request bodies with real keys, as a device would. */
final class Enrollments {

  static final ObjectMapper JSON = new ObjectMapper();
  static final char[] PASSPHRASE = "integration test passphrase".toCharArray();

  /** The id of the signed prekey {@link #body} publishes; one-time ids follow it. */
  static final long SIGNED_PREKEY_ID = 1;

  private Enrollments() {}

  static DeviceKeyStore newDeviceKeys(String name) throws Exception {
    Path dir = Files.createTempDirectory("redoubt-device");
    return DeviceKeyStore.create(dir.resolve("device-keys.bcfks"), PASSPHRASE.clone(), name);
  }

  static byte[] csr(DeviceKeyStore keys) throws Exception {
    return keys.certificationRequest(null).getEncoded();
  }

  /**
   * An enrollment request: {@code csr}, a signed prekey (id 1) and {@code oneTime} one-time prekeys
   * (ids 2…), all signed by {@code keys}' identity key for {@code deviceId}.
   */
  static ObjectNode body(UUID deviceId, String name, byte[] csr, DeviceKeyStore keys, int oneTime)
      throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("deviceId", deviceId.toString());
    body.put("name", name);
    body.put("certificationRequest", Base64.getUrlEncoder().withoutPadding().encodeToString(csr));
    body.set(
        "signedPrekey",
        JSON.valueToTree(
            PublishedPrekey.of(prekeys(keys, deviceId, SIGNED_PREKEY_ID, 1, days(7)).get(0))));
    body.set("oneTimePrekeys", published(prekeys(keys, deviceId, 2, oneTime, days(30))));
    return body;
  }

  /** {@code count} prekeys with ids from {@code firstId}, signed for {@code deviceId}. */
  static List<SignedPrekey> prekeys(
      DeviceKeyStore keys, UUID deviceId, long firstId, int count, Instant expiresAt)
      throws Exception {
    var generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("P-384"));
    List<SignedPrekey> prekeys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      prekeys.add(
          SignedPrekey.sign(
              deviceId,
              firstId + i,
              (ECPublicKey) generator.generateKeyPair().getPublic(),
              expiresAt,
              keys.identityKey()));
    }
    return prekeys;
  }

  static ArrayNode published(List<SignedPrekey> prekeys) {
    ArrayNode array = JSON.createArrayNode();
    prekeys.forEach(p -> array.add(JSON.valueToTree(PublishedPrekey.of(p))));
    return array;
  }

  static Instant days(int days) {
    return Instant.now().plus(Duration.ofDays(days));
  }
}
