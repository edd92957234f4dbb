package io.redoubt.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Records protected by the thread's cipher are exactly what Bouncy Castle's own cipher makes. */
class ThreadRecordCiphersTest {

  private static final int TAG = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private static JcaJceHelper helper;
  private static BouncyCastleCiphers bouncyCastle;

  @BeforeAll
  static void fipsProvider() {
    Provider fips = Security.getProvider(LeanTlsCryptoProvider.FIPS_PROVIDER);
    if (fips == null) {
      fips = new BouncyCastleFipsProvider();
      Security.addProvider(fips);
    }
    helper = new ProviderJcaJceHelper(fips);
    bouncyCastle = new BouncyCastleCiphers(helper);
  }

  @Test
  void aRecordIsByteForByteWhatBouncyCastlesOwnCipherMakesAndOpens() throws Exception {
    ThreadRecordCiphers ciphers = new ThreadRecordCiphers(helper, RANDOM);
    for (int keySize : new int[] {16, 32}) {
      byte[] key = random(keySize);
      byte[] nonce = random(12);
      byte[] header = random(13);
      byte[] plaintext = random(1_000);

      byte[] ours = record(ciphers.forConnection(keySize, true), key, nonce, header, plaintext);
      byte[] theirs = record(bouncyCastle.make(keySize, true), key, nonce, header, plaintext);

      assertThat(ours).isEqualTo(theirs).hasSize(plaintext.length + TAG);
      assertThat(record(bouncyCastle.make(keySize, false), key, nonce, header, ours))
          .isEqualTo(plaintext);
      assertThat(record(ciphers.forConnection(keySize, false), key, nonce, header, theirs))
          .isEqualTo(plaintext);
    }
  }

  @Test
  void outputSizesAreBouncyCastles() throws Exception {
    ThreadRecordCiphers ciphers = new ThreadRecordCiphers(helper, RANDOM);
    byte[] key = random(32);
    for (boolean encrypting : new boolean[] {true, false}) {
      TlsAEADCipherImpl ours = ciphers.forConnection(32, encrypting);
      TlsAEADCipherImpl theirs = bouncyCastle.make(32, encrypting);
      for (TlsAEADCipherImpl cipher : List.of(ours, theirs)) {
        cipher.setKey(key, 0, key.length);
        cipher.init(random(12), TAG);
      }
      for (int length : new int[] {0, 1, TAG - 1, TAG, 1_000, 16_384 + TAG}) {
        assertThat(ours.getOutputSize(length))
            .as("%s of %d bytes", encrypting ? "sealing" : "opening", length)
            .isEqualTo(theirs.getOutputSize(length));
      }
    }
  }

  @Test
  void connectionsTakingTurnsOnOneThreadKeepTheirOwnKeys() throws Exception {
    ThreadRecordCiphers ciphers = new ThreadRecordCiphers(helper, RANDOM);
    byte[] aliceKey = random(32);
    byte[] bobKey = random(32);
    TlsAEADCipherImpl alice = ciphers.forConnection(32, true);
    TlsAEADCipherImpl bob = ciphers.forConnection(32, true);
    alice.setKey(aliceKey, 0, 32);
    bob.setKey(bobKey, 0, 32);
    byte[] aliceNonce = random(12);
    byte[] bobNonce = random(12);
    byte[] header = random(13);
    byte[] plaintext = random(100);

    // Both prepared before either seals: the thread's one cipher must not carry bob's key into
    // alice's record.
    alice.init(aliceNonce, TAG);
    bob.init(bobNonce, TAG);
    byte[] fromAlice = doFinal(alice, header, plaintext);
    byte[] fromBob = doFinal(bob, header, plaintext);

    assertThat(record(bouncyCastle.make(32, false), aliceKey, aliceNonce, header, fromAlice))
        .isEqualTo(plaintext);
    assertThat(record(bouncyCastle.make(32, false), bobKey, bobNonce, header, fromBob))
        .isEqualTo(plaintext);
  }

  @Test
  void aTamperedRecordIsRefusedAsBouncyCastleRefusesIt() throws Exception {
    ThreadRecordCiphers ciphers = new ThreadRecordCiphers(helper, RANDOM);
    byte[] key = random(32);
    byte[] nonce = random(12);
    byte[] header = random(13);
    byte[] sealed = record(ciphers.forConnection(32, true), key, nonce, header, random(64));
    sealed[10] ^= 1;

    // The record layer turns an IllegalStateException from doFinal into a bad_record_mac alert.
    assertThatThrownBy(() -> record(ciphers.forConnection(32, false), key, nonce, header, sealed))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> record(bouncyCastle.make(32, false), key, nonce, header, sealed))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aRecordNeedsItsOwnNonceAndAKey() throws Exception {
    ThreadRecordCiphers ciphers = new ThreadRecordCiphers(helper, RANDOM);
    TlsAEADCipherImpl cipher = ciphers.forConnection(32, true);
    byte[] out = new byte[200];

    assertThatThrownBy(() -> cipher.setKey(random(16), 0, 16))
        .isInstanceOf(IllegalStateException.class);
    cipher.init(random(12), TAG);
    assertThatThrownBy(() -> cipher.doFinal(null, new byte[10], 0, 10, out, 0))
        .as("no key yet")
        .isInstanceOf(IllegalStateException.class);

    cipher.setKey(random(32), 0, 32);
    cipher.init(random(12), TAG);
    cipher.doFinal(null, new byte[10], 0, 10, out, 0);
    assertThatThrownBy(() -> cipher.doFinal(null, new byte[10], 0, 10, out, 0))
        .as("the nonce was spent on the first record")
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void manyThreadsAndConnectionsAtOnce() throws Exception {
    ThreadRecordCiphers ciphers = new ThreadRecordCiphers(helper, RANDOM);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> connections = new ArrayList<>();
      for (int c = 0; c < 32; c++) {
        connections.add(
            () -> {
              byte[] key = random(32);
              TlsAEADCipherImpl sealing = ciphers.forConnection(32, true);
              TlsAEADCipherImpl opening = ciphers.forConnection(32, false);
              sealing.setKey(key, 0, 32);
              opening.setKey(key, 0, 32);
              for (int record = 0; record < 200; record++) {
                byte[] nonce = random(12);
                byte[] header = random(13);
                byte[] plaintext = random(1 + record);
                sealing.init(nonce, TAG);
                byte[] sealed = doFinal(sealing, header, plaintext);
                opening.init(nonce, TAG);
                if (!Arrays.equals(doFinal(opening, header, sealed), plaintext)) {
                  return false;
                }
                Thread.yield();
              }
              return true;
            });
      }
      for (Future<Boolean> connection : threads.invokeAll(connections)) {
        assertThat(connection.get()).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * One record through {@code cipher} under a fresh key setting: sealed or opened, as it was made.
   */
  private static byte[] record(
      TlsAEADCipherImpl cipher, byte[] key, byte[] nonce, byte[] header, byte[] input)
      throws Exception {
    cipher.setKey(key, 0, key.length);
    cipher.init(nonce, TAG);
    return doFinal(cipher, header, input);
  }

  private static byte[] doFinal(TlsAEADCipherImpl cipher, byte[] header, byte[] input)
      throws Exception {
    byte[] output = new byte[cipher.getOutputSize(input.length)];
    int written = cipher.doFinal(header, input, 0, input.length, output, 0);
    return Arrays.copyOf(output, written);
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /** Bouncy Castle's own AES-GCM record cipher, one per connection, to compare with. */
  private static final class BouncyCastleCiphers extends JcaTlsCrypto {
    BouncyCastleCiphers(JcaJceHelper helper) {
      super(helper, RANDOM, RANDOM);
    }

    TlsAEADCipherImpl make(int keySize, boolean encrypting) throws Exception {
      return createAEADCipher(ThreadRecordCiphers.AES_GCM, "AES", keySize, encrypting);
    }
  }
}
