package io.redoubt.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.protocol.TestVectors;
import io.redoubt.protocol.crypto.FipsModule;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RequestProofTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00.123Z");
  private static final UUID DEVICE = UUID.fromString("0190a3c4-1111-7000-8000-000000000001");
  private static final String PATH = "/api/v1/conversations/0190a3c4-2222-7000-8000-0000000000aa";

  private static KeyPair identity;
  private static ECPublicKey publicKey;

  @BeforeAll
  static void keys() throws Exception {
    TestVectors.installFipsProvider();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("P-384"));
    identity = generator.generateKeyPair();
    publicKey = (ECPublicKey) identity.getPublic();
  }

  private static RequestProof proof(String token) throws Exception {
    return RequestProof.sign(
        DEVICE, "post", PATH, token, identity.getPrivate(), NOW, FipsModule.random());
  }

  @Test
  void aProofSurvivesItsHeaderAndVerifiesForItsOwnRequest() throws Exception {
    RequestProof sent = proof("token-a");

    RequestProof received = RequestProof.parse(sent.headerValue());

    assertThat(received).isEqualTo(sent);
    assertThat(received.deviceId()).isEqualTo(DEVICE);
    assertThat(received.timestamp()).isEqualTo(NOW);
    assertThat(received.signatureValidUnder(publicKey, "POST", PATH, "token-a")).isTrue();
  }

  @Test
  void methodPathAndTokenAreBound() throws Exception {
    RequestProof sent = proof("token-a");

    assertThat(sent.signatureValidUnder(publicKey, "GET", PATH, "token-a")).isFalse();
    assertThat(sent.signatureValidUnder(publicKey, "POST", PATH + "/messages", "token-a"))
        .isFalse();
    assertThat(sent.signatureValidUnder(publicKey, "POST", PATH, "token-b")).isFalse();
  }

  @Test
  void timeNonceAndDeviceAreBound() throws Exception {
    RequestProof sent = proof("token-a");
    byte[] otherNonce = sent.nonce();
    otherNonce[0] ^= 1;

    assertThat(
            new RequestProof(DEVICE, NOW.plusMillis(1), sent.nonce(), sent.signature())
                .signatureValidUnder(publicKey, "POST", PATH, "token-a"))
        .isFalse();
    assertThat(
            new RequestProof(DEVICE, NOW, otherNonce, sent.signature())
                .signatureValidUnder(publicKey, "POST", PATH, "token-a"))
        .isFalse();
    assertThat(
            new RequestProof(UUID.randomUUID(), NOW, sent.nonce(), sent.signature())
                .signatureValidUnder(publicKey, "POST", PATH, "token-a"))
        .isFalse();
  }

  @Test
  void anotherKeysSignatureIsRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BCFIPS");
    generator.initialize(new ECGenParameterSpec("P-384"));
    ECPublicKey other = (ECPublicKey) generator.generateKeyPair().getPublic();

    assertThat(proof("token-a").signatureValidUnder(other, "POST", PATH, "token-a")).isFalse();
  }

  @Test
  void malformedHeadersNameTheirFault() {
    assertThatThrownBy(() -> RequestProof.parse(null)).hasMessageContaining("missing");
    assertThatThrownBy(() -> RequestProof.parse("a.b.c"))
        .isInstanceOf(MalformedRequestProofException.class)
        .hasMessageContaining("<deviceId>.<timestamp>.<nonce>.<signature>");
    assertThatThrownBy(() -> RequestProof.parse("not-a-uuid.1.AAAAAAAAAAAAAAAAAAAAAA.AA"))
        .isInstanceOf(MalformedRequestProofException.class);
    assertThatThrownBy(() -> RequestProof.parse(DEVICE + ".1.AAAA.AA"))
        .hasMessageContaining("nonce must be 16 bytes");
    assertThatThrownBy(() -> RequestProof.parse(DEVICE + ".soon.AAAAAAAAAAAAAAAAAAAAAA.AA"))
        .isInstanceOf(MalformedRequestProofException.class);
    assertThatThrownBy(() -> RequestProof.parse(DEVICE + ".1.AAAAAAAAAAAAAAAAAAAAAA.!!"))
        .isInstanceOf(MalformedRequestProofException.class);
    assertThatThrownBy(() -> RequestProof.parse("x".repeat(600))).hasMessageContaining("too long");
  }
}
