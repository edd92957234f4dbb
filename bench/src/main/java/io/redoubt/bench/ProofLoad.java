package io.redoubt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redoubt.client.OidcSignIn;
import io.redoubt.client.TrustAnchors;
import io.redoubt.protocol.merkle.MerkleHash;
import io.redoubt.protocol.merkle.MerkleVerifier;
import io.redoubt.protocol.transparency.LeafKind;
import io.redoubt.protocol.transparency.LogLeaf;
import io.redoubt.transparency.LogProofs;
import io.redoubt.transparency.PerfectSubtree;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.Security;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongFunction;
import javax.net.ssl.SSLContext;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;

/**
 * Inclusion and consistency proofs in a log of 10^6 leaves stored in the lab's MariaDB.
 *
 * <ol>
 *   <li>Fill: appends real leaves to the lab's log up to {@code --leaves}, exactly as {@code
 *       TransparencyLog.append} would (the state row locked, leaf rows, and every perfect subtree
 *       each leaf completes, hashed in memory with the protocol's {@link MerkleHash} from its
 *       stored left child), in transactions of 10,000 leaves with multi-row INSERTs. Starts from
 *       the log's current size, so the log stays consistent and the server keeps signing heads over
 *       it.
 *   <li>JDBC: {@link LogProofs} (the server's own proof assembly) with a lookup that runs the
 *       server's query ({@code SubtreeHash.BY_NODES}, one {@code IN (...)} on the primary key, as
 *       Hibernate sends it), timed over random indexes: the database and assembly part of server
 *       time.
 *   <li>HTTP: {@code GET /api/v1/transparency/proof/inclusion} and {@code /consistency} on the lab
 *       server, one request at a time: an upper bound of server time (it adds TLS, the loopback and
 *       the client).
 * </ol>
 *
 * <p>It appends to the lab's log: use a lab dedicated to benchmarks. Run with {@code
 * bench/bin/proof-load}.
 */
public final class ProofLoad {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int CHUNK = 10_000;
  private static final int ROWS_PER_INSERT = 500;

  // The columns Hibernate selects for SubtreeHash.BY_NODES.
  private static final String BY_NODES =
      "select s.node, s.hash, s.tree_level, s.start_index from transparency_subtree s"
          + " where s.node in (";

  private final MerkleHash hash = MerkleHash.sha384();

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    if (options.containsKey("help") || !options.containsKey("state")) {
      System.out.println(
          "Usage: ProofLoad --state LAB_DIR [--leaves 1000000] [--samples 10000]"
              + " [--http-samples 2000] [--skip-jdbc] [--skip-http]");
      return;
    }
    Security.addProvider(new BouncyCastleFipsProvider());
    LabState lab = LabState.read(Path.of(options.get("state")));
    long leaves = Long.parseLong(options.getOrDefault("leaves", "1000000"));
    int samples = Integer.parseInt(options.getOrDefault("samples", "10000"));
    int httpSamples = Integer.parseInt(options.getOrDefault("http-samples", "2000"));
    ProofLoad load = new ProofLoad();
    try (Connection db =
        DriverManager.getConnection(
            lab.env("DB_URL"), "redoubt_app", lab.secret("DB_APP_PASSWORD"))) {
      long size = load.fill(db, leaves);
      if (!options.containsKey("skip-jdbc")) {
        load.measureJdbc(db, size, samples);
      }
      if (!options.containsKey("skip-http")) {
        load.measureHttp(lab, db, size, httpSamples);
      }
    }
  }

  // ---- fill ----------------------------------------------------------------------------------

  private long fill(Connection db, long target) throws SQLException {
    db.setAutoCommit(false);
    long size = lockedSize(db);
    db.commit();
    if (size >= target) {
      System.out.printf(Locale.ROOT, "log already has %d leaves; not filling%n", size);
      return size;
    }
    long began = System.nanoTime();
    // The stored hashes a later append may need as left children: the perfect subtrees the
    // current size splits into, and then every subtree appended.
    Map<Long, byte[]> stored = new HashMap<>();
    if (size > 0) {
      stored.putAll(selectHashes(db, PerfectSubtree.decompose(0, size)));
    }
    long startSize = size;
    while (size < target) {
      long locked = lockedSize(db);
      if (locked != size) {
        throw new IllegalStateException("the log grew meanwhile (server appends?); run again");
      }
      long end = Math.min(target, size + CHUNK);
      List<Object[]> leafRows = new ArrayList<>();
      List<Object[]> subtreeRows = new ArrayList<>();
      long now = Instant.now().toEpochMilli();
      for (long index = size; index < end; index++) {
        byte[] certificateHash = new byte[48];
        RANDOM.nextBytes(certificateHash);
        LogLeaf leaf =
            new LogLeaf(
                LeafKind.CERTIFICATE_ISSUED,
                "bench-user-" + (index % 1000),
                UUID.randomUUID().toString(),
                certificateHash,
                Instant.ofEpochMilli(now));
        byte[] bytes = leaf.encode();
        leafRows.add(
            new Object[] {
              index, leaf.kind().code(), leaf.userId(), leaf.deviceId(), certificateHash, now, bytes
            });
        LogProofs.completedBy(hash, index, hash.leafHash(bytes), left -> stored.get(left.node()))
            .forEach(
                (subtree, value) -> {
                  stored.put(subtree.node(), value);
                  subtreeRows.add(
                      new Object[] {subtree.node(), subtree.level(), subtree.start(), value});
                });
      }
      insert(
          db,
          "insert into transparency_leaf (leaf_index, kind, user_id, device_id,"
              + " certificate_sha384, logged_at_millis, leaf_bytes) values ",
          7,
          leafRows);
      insert(
          db,
          "insert into transparency_subtree (node, tree_level, start_index, hash) values ",
          4,
          subtreeRows);
      try (PreparedStatement grow =
          db.prepareStatement("update transparency_log_state set tree_size = ? where id = 1")) {
        grow.setLong(1, end);
        grow.executeUpdate();
      }
      db.commit();
      size = end;
      if (size % 100_000 == 0 || size == target) {
        System.out.printf(
            Locale.ROOT, "  %d leaves (%.0f s)%n", size, (System.nanoTime() - began) / 1e9);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "filled %d → %d leaves in %.0f s%n",
        startSize,
        size,
        (System.nanoTime() - began) / 1e9);
    return size;
  }

  private static long lockedSize(Connection db) throws SQLException {
    try (PreparedStatement select =
            db.prepareStatement(
                "select tree_size from transparency_log_state where id = 1 for update");
        ResultSet row = select.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  private static void insert(Connection db, String head, int columns, List<Object[]> rows)
      throws SQLException {
    String tuple = "(" + "?,".repeat(columns - 1) + "?)";
    for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
      int to = Math.min(rows.size(), from + ROWS_PER_INSERT);
      StringBuilder sql = new StringBuilder(head);
      for (int r = from; r < to; r++) {
        sql.append(r == from ? "" : ",").append(tuple);
      }
      try (PreparedStatement insert = db.prepareStatement(sql.toString())) {
        int p = 1;
        for (int r = from; r < to; r++) {
          for (Object value : rows.get(r)) {
            insert.setObject(p++, value);
          }
        }
        insert.executeUpdate();
      }
    }
  }

  // ---- proofs through JDBC -------------------------------------------------------------------

  private Map<Long, byte[]> selectHashes(Connection db, Collection<PerfectSubtree> subtrees)
      throws SQLException {
    List<PerfectSubtree> list = List.copyOf(subtrees);
    StringBuilder sql = new StringBuilder(BY_NODES);
    for (int i = 0; i < list.size(); i++) {
      sql.append(i == 0 ? "?" : ",?");
    }
    sql.append(')');
    Map<Long, byte[]> found = new HashMap<>();
    try (PreparedStatement select = db.prepareStatement(sql.toString())) {
      for (int i = 0; i < list.size(); i++) {
        select.setLong(i + 1, list.get(i).node());
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.put(rows.getLong(1), rows.getBytes(2));
        }
      }
    }
    return found;
  }

  private LogProofs jdbcProofs(Connection db) {
    return new LogProofs(
        hash,
        subtrees -> {
          try {
            Map<Long, byte[]> byNode = selectHashes(db, subtrees);
            Map<PerfectSubtree, byte[]> found = new HashMap<>();
            for (PerfectSubtree subtree : subtrees) {
              byte[] value = byNode.get(subtree.node());
              if (value != null) {
                found.put(subtree, value);
              }
            }
            return found;
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private void measureJdbc(Connection db, long size, int samples) throws SQLException {
    db.setAutoCommit(true);
    LogProofs proofs = jdbcProofs(db);
    byte[] root = proofs.root(size);
    MerkleVerifier verifier = new MerkleVerifier(hash);
    // Correctness first: proofs from the stored rows verify against the stored root.
    for (int i = 0; i < 20; i++) {
      long index = Math.floorMod(RANDOM.nextLong(), size);
      byte[] leaf = leafBytes(db, index);
      if (!verifier.verifyInclusion(
          hash.leafHash(leaf), index, size, proofs.inclusionProof(index, size), root)) {
        throw new IllegalStateException("inclusion proof of " + index + " does not verify");
      }
    }
    System.out.printf(Locale.ROOT, "log of %d leaves; proofs verify against its root%n", size);
    time(
        "JDBC inclusion proof (index random, treeSize " + size + ")",
        samples,
        i -> proofs.inclusionProof(Math.floorMod(RANDOM.nextLong(), size), size));
    time(
        "JDBC consistency proof (from random, to " + size + ")",
        samples,
        i -> proofs.consistencyProof(1 + Math.floorMod(RANDOM.nextLong(), size - 1), size));
  }

  private static byte[] leafBytes(Connection db, long index) throws SQLException {
    try (PreparedStatement select =
        db.prepareStatement("select leaf_bytes from transparency_leaf where leaf_index = ?")) {
      select.setLong(1, index);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getBytes(1);
      }
    }
  }

  /** Runs {@code operation} for a quarter of {@code samples} to warm up, then times samples. */
  private static void time(String what, int samples, LongFunction<?> operation) {
    for (int i = 0; i < samples / 4; i++) {
      operation.apply(i);
    }
    Latencies latencies = new Latencies();
    for (int i = 0; i < samples; i++) {
      long started = System.nanoTime();
      operation.apply(i);
      latencies.record(System.nanoTime() - started);
    }
    System.out.println(what + ": " + latencies.summary());
  }

  // ---- proofs through the server -------------------------------------------------------------

  private void measureHttp(LabState lab, Connection db, long size, int samples) throws Exception {
    SSLContext tls = TrustAnchors.fromPem(lab.tlsCertificate());
    String authorization =
        new OidcSignIn(URI.create(lab.env("KEYCLOAK_URL") + "/realms/redoubt"), "redoubt-cli", tls)
            .withPassword("alice", lab.env("DEMO_PASSWORD").toCharArray())
            .access()
            .authorization();
    HttpClient http =
        HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
    URI server = URI.create(lab.env("REDOUBT_URL"));
    byte[] root = jdbcProofs(db).root(size);
    MerkleVerifier verifier = new MerkleVerifier(hash);
    Base64.Decoder b64 = Base64.getUrlDecoder();
    long index = Math.floorMod(RANDOM.nextLong(), size);
    JsonNode answer =
        JSON.readTree(
            get(
                http,
                server,
                authorization,
                "/api/v1/transparency/proof/inclusion?index=" + index + "&treeSize=" + size));
    List<byte[]> path = new ArrayList<>();
    answer.path("auditPath").forEach(node -> path.add(b64.decode(node.asText())));
    if (!verifier.verifyInclusion(hash.leafHash(leafBytes(db, index)), index, size, path, root)) {
      throw new IllegalStateException("the server's inclusion proof does not verify");
    }
    // The same request path (TLS, bearer token check, JAX-RS, JSON) around a one-row query: what
    // the proof endpoints cost beyond it is the proof.
    time(
        "HTTP GET tree-head (baseline: same TLS and token check, one-row query)",
        samples,
        i -> get(http, server, authorization, "/api/v1/transparency/tree-head"));
    time(
        "HTTP GET inclusion proof (index random, treeSize " + size + ")",
        samples,
        i ->
            get(
                http,
                server,
                authorization,
                "/api/v1/transparency/proof/inclusion?index="
                    + Math.floorMod(RANDOM.nextLong(), size)
                    + "&treeSize="
                    + size));
    time(
        "HTTP GET consistency proof (from random, to " + size + ")",
        samples,
        i ->
            get(
                http,
                server,
                authorization,
                "/api/v1/transparency/proof/consistency?from="
                    + (1 + Math.floorMod(RANDOM.nextLong(), size - 1))
                    + "&to="
                    + size));
  }

  private static String get(HttpClient http, URI server, String authorization, String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(server.resolve(path))
                  .header("Authorization", authorization)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(path + ": " + response.statusCode() + response.body());
      }
      return response.body();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
