package io.redoubt.bench;

import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.EnvelopeHeader;
import io.redoubt.protocol.envelope.EnvelopeSealer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Security;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sender's cost of one message for a group: the SDK's {@link EnvelopeSealer#seal} (content
 * sealed once, the message key wrapped by HPKE DHKEM(P-384) for each recipient device's prekey, one
 * ephemeral key pair per envelope, the envelope signed by the identity key), on one thread, so on
 * one core. Recipient prekeys are fresh P-384 keys made in the set-up; the sender has already
 * verified them (as the SDK does before it seals).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
public class SealBenchmark {

  @Param({"1", "10", "100"})
  int recipients;

  private final byte[] plaintext =
      "a message of about a line of text, as a chat sends it".getBytes(StandardCharsets.UTF_8);
  private List<EnvelopeSealer.Recipient> devices;
  private PrivateKey identity;
  private UUID sender;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    if (Security.getProvider(FipsModule.PROVIDER) == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", FipsModule.PROVIDER);
    generator.initialize(new ECGenParameterSpec("secp384r1"), FipsModule.random());
    identity = generator.generateKeyPair().getPrivate();
    sender = UUID.randomUUID();
    devices = new ArrayList<>();
    for (int i = 0; i < recipients; i++) {
      KeyPair prekey = generator.generateKeyPair();
      devices.add(
          new EnvelopeSealer.Recipient(UUID.randomUUID(), i, (ECPublicKey) prekey.getPublic()));
    }
  }

  @Benchmark
  public Envelope seal() throws Exception {
    Instant now = Instant.now();
    EnvelopeHeader header =
        new EnvelopeHeader(
            1,
            UUID.randomUUID(),
            UUID.randomUUID(),
            "sender",
            sender,
            now,
            now.plus(Duration.ofDays(7)),
            false,
            "text/plain; charset=utf-8",
            List.of());
    return EnvelopeSealer.seal(header, plaintext, devices, identity, FipsModule.random());
  }
}
