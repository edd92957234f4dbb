package io.redoubt.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.redoubt.protocol.crypto.EcdsaP384;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.Test;

/**
 * What every {@link HsmSigner} must do, run against the software signer in unit tests and against
 * the SoftHSM2 token in the integration tests: P-384 signatures over SHA-384 that verify with the
 * certificate's key (and with nothing else), in strict DER, under a plain self-signed signing
 * certificate.
 */
public interface HsmSignerContract {

  /** The signer under test, with a {@link KeyPurpose#TRANSPARENCY_LOG} style certificate. */
  HsmSigner signer() throws Exception;

  @Test
  default void signaturesVerifyWithTheCertificatesKeyOnly() throws Exception {
    HsmSigner signer = signer();
    byte[] message = "redoubt/v1/tree-head test".getBytes(StandardCharsets.US_ASCII);

    byte[] signature = signer.sign(message);

    ECPublicKey key = (ECPublicKey) signer.certificate().getPublicKey();
    assertThat(EcdsaP384.verify(key, message, signature)).isTrue();
    byte[] other = message.clone();
    other[0] ^= 1;
    assertThat(EcdsaP384.verify(key, other, signature)).isFalse();
  }

  @Test
  default void signaturesAreStrictDerAndRandomised() throws Exception {
    HsmSigner signer = signer();
    byte[] message = new byte[] {1, 2, 3};

    byte[] first = signer.sign(message);
    byte[] second = signer.sign(message);

    assertThat(EcdsaP384.fromRaw(EcdsaP384.toRaw(first))).isEqualTo(first);
    assertThat(first).as("a fresh nonce per signature").isNotEqualTo(second);
  }

  @Test
  default void theCertificateIsASelfSignedP384SigningCertificateNotACa() throws Exception {
    X509Certificate certificate = signer().certificate();

    certificate.verify(certificate.getPublicKey(), "BCFIPS");
    assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getOrder().bitLength())
        .isEqualTo(384);
    assertThat(certificate.getSigAlgName()).isEqualToIgnoringCase("SHA384WITHECDSA");
    assertThat(certificate.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(certificate.getKeyUsage()[5]).as("keyCertSign").isFalse();
  }

  @Test
  default void theSignerIsSafeToShareBetweenThreads() throws Exception {
    HsmSigner signer = signer();
    ECPublicKey key = (ECPublicKey) signer.certificate().getPublicKey();
    var failures = new java.util.concurrent.atomic.AtomicInteger();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      byte[] message = {(byte) t};
      threads[t] =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 10; i++) {
                    if (!EcdsaP384.verify(key, message, signer.sign(message))) {
                      failures.incrementAndGet();
                    }
                  }
                } catch (Exception e) {
                  failures.incrementAndGet();
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).hasValue(0);
  }
}
