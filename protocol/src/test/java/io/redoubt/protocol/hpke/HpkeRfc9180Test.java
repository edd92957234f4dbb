package io.redoubt.protocol.hpke;

import static org.assertj.core.api.Assertions.assertThat;

import io.redoubt.protocol.TestVectors;
import io.redoubt.protocol.VectorTally;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Map;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 9180 Appendix A vectors for the two FIPS suites it publishes (P-256/SHA-256/AES-128-GCM and
 * P-521/SHA-512/AES-256-GCM), all four modes: DeriveKeyPair gives the published skEm/pkEm,
 * skRm/pkRm (and skSm/pkSm); the sender with the explicit ephemeral produces the published enc;
 * every listed encryption (sequence numbers 0..256, skipped ones advanced with filler messages)
 * seals to the published ciphertext and opens at the recipient; every exported value matches on
 * both sides; and the single-shot base API reproduces sequence 0 and the exports.
 */
class HpkeRfc9180Test {

  @BeforeAll
  static void fips() {
    TestVectors.installFipsProvider();
  }

  @ParameterizedTest
  @ValueSource(strings = {"p256-sha256-aes128gcm.md", "p521-sha512-aes256gcm.md"})
  void reproducesThePublishedVectors(String file) throws Exception {
    List<Rfc9180Vectors.Case> cases = Rfc9180Vectors.read(file);
    VectorTally tally = new VectorTally("HPKE RFC 9180 " + file);
    for (Rfc9180Vectors.Case vector : cases) {
      check(vector, tally);
    }
    tally.report();
    assertThat(cases).extracting(Rfc9180Vectors.Case::mode).containsExactly(0, 1, 2, 3);
    assertThat(tally.get("modes")).isEqualTo(4);
    assertThat(tally.get("encryptions")).isGreaterThanOrEqualTo(4 * 6);
    assertThat(tally.get("exports")).isEqualTo(4 * 3);
  }

  private static void check(Rfc9180Vectors.Case vector, VectorTally tally) throws Exception {
    Map<String, String> setup = vector.setup();
    HpkeSuite suite =
        HpkeSuite.byIds(
            Integer.parseInt(setup.get("kem_id")),
            Integer.parseInt(setup.get("kdf_id")),
            Integer.parseInt(setup.get("aead_id")));
    Kem kem = suite.kem();
    KeyPair ephemeral = derived(kem, setup, "E");
    KeyPair recipient = derived(kem, setup, "R");
    KeyPair sender = setup.containsKey("ikmS") ? derived(kem, setup, "S") : null;
    PreSharedKey psk =
        setup.containsKey("psk") ? new PreSharedKey(hex(setup, "psk"), hex(setup, "psk_id")) : null;
    byte[] info = hex(setup, "info");

    SenderSetup senderSetup =
        Hpke.setupSender(suite, (ECPublicKey) recipient.getPublic(), info, ephemeral, psk, sender);
    assertThat(senderSetup.enc()).isEqualTo(hex(setup, "enc"));
    HpkeContext recipientContext =
        Hpke.setupRecipient(
            suite,
            senderSetup.enc(),
            recipient,
            info,
            psk,
            sender == null ? null : (ECPublicKey) sender.getPublic());

    int sequence = 0;
    for (Map<String, String> encryption : vector.encryptions()) {
      int target = Integer.parseInt(encryption.get("sequence number"));
      for (; sequence < target; sequence++) {
        byte[] filler = senderSetup.context().seal(new byte[0], new byte[0]);
        recipientContext.open(new byte[0], filler);
      }
      byte[] ciphertext = senderSetup.context().seal(hex(encryption, "aad"), hex(encryption, "pt"));
      assertThat(ciphertext).as("seq %d", target).isEqualTo(hex(encryption, "ct"));
      assertThat(recipientContext.open(hex(encryption, "aad"), ciphertext))
          .isEqualTo(hex(encryption, "pt"));
      sequence++;
      tally.count("encryptions");
    }
    for (Map<String, String> export : vector.exports()) {
      byte[] context = hex(export, "exporter_context");
      int length = Integer.parseInt(export.get("L"));
      byte[] expected = hex(export, "exported_value");
      assertThat(senderSetup.context().export(context, length)).isEqualTo(expected);
      assertThat(recipientContext.export(context, length)).isEqualTo(expected);
      tally.count("exports");
    }
    if (vector.mode() == Mode.BASE.id()) {
      checkSingleShot(suite, vector, ephemeral, recipient, info);
    }
    tally.count("modes");
  }

  private static void checkSingleShot(
      HpkeSuite suite,
      Rfc9180Vectors.Case vector,
      KeyPair ephemeral,
      KeyPair recipient,
      byte[] info)
      throws Exception {
    Map<String, String> first = vector.encryptions().get(0);
    ECPublicKey recipientPublic = (ECPublicKey) recipient.getPublic();
    Sealed sealed =
        Hpke.seal(suite, recipientPublic, info, hex(first, "aad"), hex(first, "pt"), ephemeral);
    assertThat(sealed.ciphertext()).isEqualTo(hex(first, "ct"));
    assertThat(Hpke.open(suite, sealed.enc(), recipient, info, hex(first, "aad"), hex(first, "ct")))
        .isEqualTo(hex(first, "pt"));
    for (Map<String, String> export : vector.exports()) {
      byte[] context = hex(export, "exporter_context");
      int length = Integer.parseInt(export.get("L"));
      Hpke.SenderExport sent =
          Hpke.sendExport(suite, recipientPublic, info, context, length, ephemeral);
      assertThat(sent.exportedSecret()).isEqualTo(hex(export, "exported_value"));
      assertThat(Hpke.receiveExport(suite, sent.enc(), recipient, info, context, length))
          .isEqualTo(hex(export, "exported_value"));
    }
  }

  private static KeyPair derived(Kem kem, Map<String, String> setup, String who) throws Exception {
    KeyPair pair = kem.deriveKeyPair(hex(setup, "ikm" + who));
    assertThat(((ECPrivateKey) pair.getPrivate()).getS())
        .as("sk%sm", who)
        .isEqualTo(new BigInteger(1, hex(setup, "sk" + who + "m")));
    assertThat(kem.serializePublicKey((ECPublicKey) pair.getPublic()))
        .as("pk%sm", who)
        .isEqualTo(hex(setup, "pk" + who + "m"));
    return pair;
  }

  private static byte[] hex(Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null) {
      throw new IllegalArgumentException("vector has no field " + name);
    }
    return Hex.decode(value);
  }
}
