package io.redoubt.bench;

import io.redoubt.protocol.merkle.MerkleHash;
import io.redoubt.protocol.transparency.LeafKind;
import io.redoubt.protocol.transparency.LogLeaf;
import io.redoubt.transparency.LogProofs;
import io.redoubt.transparency.PerfectSubtree;
import io.redoubt.transparency.SubtreeLookup;
import java.nio.ByteBuffer;
import java.security.Security;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inclusion and consistency proofs for a log of 10^6 leaves, assembled by the server's {@link
 * LogProofs} from stored perfect-subtree hashes. The store is an in-memory array indexed by the
 * same in-order node number as the MariaDB table's primary key, so this measures the server's CPU
 * work (planning, decomposition, folding) and counts the database work: lookups (queries) per proof
 * and rows per lookup. The hashes are built with the production append path ({@link
 * LogProofs#completedBy}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
public class InclusionProofBenchmark {

  @Param({"1000000"})
  long leaves;

  private MerkleHash hash;
  private byte[] nodes;
  private LogProofs proofs;
  private final AtomicLong lookups = new AtomicLong();
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong answers = new AtomicLong();
  private SplittableRandom random;

  @Setup(Level.Trial)
  public void appendLeaves() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
    hash = MerkleHash.sha384();
    int length = hash.length();
    nodes = new byte[Math.toIntExact(2 * leaves * length)];
    Instant time = Instant.parse("2026-11-30T00:00:00Z");
    byte[] certificateHash = new byte[48];
    for (long i = 0; i < leaves; i++) {
      ByteBuffer.wrap(certificateHash).putLong(i);
      byte[] leaf =
          new LogLeaf(
                  LeafKind.CERTIFICATE_ISSUED,
                  "user-" + (i % 5000),
                  "device-" + i,
                  certificateHash,
                  time)
              .encode();
      LogProofs.completedBy(hash, i, hash.leafHash(leaf), this::read)
          .forEach((subtree, value) -> write(subtree, value));
    }
    proofs = new LogProofs(hash, new CountingLookup());
    random = new SplittableRandom(42);
  }

  @TearDown(Level.Trial)
  public void report() {
    System.err.printf(
        "%n[bench] %d answers: %.2f lookups (queries) per answer, %.1f rows per answer%n",
        answers.get(), (double) lookups.get() / answers.get(), (double) rows.get() / answers.get());
  }

  @Benchmark
  public List<byte[]> inclusionProof() {
    answers.incrementAndGet();
    return proofs.inclusionProof(random.nextLong(leaves), leaves);
  }

  @Benchmark
  public List<byte[]> consistencyProof() {
    answers.incrementAndGet();
    return proofs.consistencyProof(1 + random.nextLong(leaves - 1), leaves);
  }

  @Benchmark
  public byte[] root() {
    answers.incrementAndGet();
    return proofs.root(leaves - random.nextLong(1000));
  }

  private byte[] read(PerfectSubtree subtree) {
    int length = hash.length();
    byte[] value = new byte[length];
    System.arraycopy(nodes, Math.toIntExact(subtree.node() * length), value, 0, length);
    return value;
  }

  private void write(PerfectSubtree subtree, byte[] value) {
    System.arraycopy(
        value, 0, nodes, Math.toIntExact(subtree.node() * hash.length()), value.length);
  }

  /** One call = one {@code SELECT ... WHERE node IN (...)} on the server. */
  private final class CountingLookup implements SubtreeLookup {
    @Override
    public Map<PerfectSubtree, byte[]> hashesOf(Collection<PerfectSubtree> subtrees) {
      lookups.incrementAndGet();
      rows.addAndGet(subtrees.size());
      Map<PerfectSubtree, byte[]> found = new HashMap<>();
      for (PerfectSubtree subtree : subtrees) {
        found.put(subtree, read(subtree));
      }
      return found;
    }
  }
}
