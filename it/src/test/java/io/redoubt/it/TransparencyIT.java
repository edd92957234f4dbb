package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redoubt.protocol.merkle.MerkleHash;
import io.redoubt.protocol.merkle.MerkleVerifier;
import io.redoubt.protocol.transparency.LeafKind;
import io.redoubt.protocol.transparency.LogLeaf;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Security;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The key-transparency log end to end, as a client sees it: leaves appended in MariaDB, heads
 * signed by the SoftHSM2 log key, proofs served over REST and verified with the protocol module's
 * {@link MerkleVerifier} and the log certificate from {@code /api/v1/info}; and a log whose stored
 * rows were rewritten no longer verifies against a head signed before.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TransparencyIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();
  private static final Base64.Encoder B64E = Base64.getUrlEncoder().withoutPadding();
  private static MerkleHash hash;
  private static MerkleVerifier verifier;
  private static String token;

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    EnterpriseArchive ear = Deployments.builtEar();
    WebArchive web = ear.getAsType(WebArchive.class, Deployments.WAR_NAME);
    web.addClasses(TransparencyFixture.class);
    ear.delete(Deployments.WAR_NAME);
    ear.addAsModule(web);
    return ear;
  }

  @BeforeAll
  static void setUp() throws Exception {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
    hash = MerkleHash.sha384();
    verifier = new MerkleVerifier(hash);
    token = Lab.signIn("alice").value();
  }

  @Test
  void signedHeadsInclusionAndConsistencyVerifyWithTheLogCertificate() throws Exception {
    List<Long> first = append(20);
    JsonNode head1 = headCovering(first.get(19));
    LogChecks.assertSignedByTheLogKey(head1);
    long size1 = head1.path("treeSize").asLong();
    byte[] root1 = B64.decode(head1.path("rootHash").asText());

    JsonNode entries =
        getJson(
            "/api/v1/transparency/entries?start=" + first.get(0) + "&end=" + (first.get(19) + 1));
    assertThat(entries.path("entries")).hasSize(20);
    for (JsonNode entry : entries.path("entries")) {
      byte[] leaf = recomputedLeaf(entry);
      assertThat(leaf).isEqualTo(B64.decode(entry.path("leaf").asText()));
      long index = entry.path("index").asLong();
      List<byte[]> path = inclusionProof(index, size1);
      assertThat(verifier.verifyInclusion(hash.leafHash(leaf), index, size1, path, root1))
          .as("leaf %d in %d", index, size1)
          .isTrue();
    }

    List<Long> second = append(7);
    JsonNode head2 = headCovering(second.get(6));
    LogChecks.assertSignedByTheLogKey(head2);
    long size2 = head2.path("treeSize").asLong();
    assertThat(size2).isGreaterThan(size1);
    JsonNode consistency =
        getJson("/api/v1/transparency/proof/consistency?from=" + size1 + "&to=" + size2);
    assertThat(
            verifier.verifyConsistency(
                size1,
                size2,
                root1,
                B64.decode(head2.path("rootHash").asText()),
                hashes(consistency.path("proof"))))
        .isTrue();
  }

  @Test
  void aRewrittenSubtreeHashBreaksTheProofsThatUseIt() throws Exception {
    List<Long> leaves = append(4);
    long even = leaves.get(0) % 2 == 0 ? leaves.get(0) : leaves.get(1);
    JsonNode head = headCovering(even + 1);
    long size = head.path("treeSize").asLong();
    byte[] root = B64.decode(head.path("rootHash").asText());
    byte[] siblingLeaf = leafBytes(even + 1);
    assertThat(
            verifier.verifyInclusion(
                hash.leafHash(siblingLeaf), even + 1, size, inclusionProof(even + 1, size), root))
        .isTrue();

    // The leaf hash of `even` (node 2·even) is the first element of its sibling's proof; the
    // roots of later heads read its complete parent instead, so no later head is signed over it.
    String original =
        postJson(
                "/it/transparency/rewrite-subtree?node="
                    + 2 * even
                    + "&hash="
                    + B64E.encodeToString(new byte[48]))
            .asText();
    try {
      assertThat(
              verifier.verifyInclusion(
                  hash.leafHash(siblingLeaf), even + 1, size, inclusionProof(even + 1, size), root))
          .as("a proof through the rewritten hash fails against the signed head")
          .isFalse();
    } finally {
      postJson("/it/transparency/rewrite-subtree?node=" + 2 * even + "&hash=" + original);
    }
    assertThat(
            verifier.verifyInclusion(
                hash.leafHash(siblingLeaf), even + 1, size, inclusionProof(even + 1, size), root))
        .isTrue();
  }

  @Test
  void aRewrittenLeafNoLongerMatchesWhatTheSignedHeadCovers() throws Exception {
    long index = append(1).get(0);
    JsonNode head = headCovering(index);
    long size = head.path("treeSize").asLong();
    byte[] root = B64.decode(head.path("rootHash").asText());

    // An insider reassigns the entry to another user, to hide a device from its owner.
    String original =
        postJson("/it/transparency/rewrite-user?index=" + index + "&userId=mallory").asText();
    try {
      JsonNode entry =
          getJson("/api/v1/transparency/entries?start=" + index + "&end=" + (index + 1))
              .path("entries")
              .get(0);
      assertThat(entry.path("userId").asText()).isEqualTo("mallory");
      byte[] claimed = recomputedLeaf(entry);
      assertThat(
              verifier.verifyInclusion(
                  hash.leafHash(claimed), index, size, inclusionProof(index, size), root))
          .isFalse();
    } finally {
      postJson("/it/transparency/rewrite-user?index=" + index + "&userId=" + original);
    }
  }

  @Test
  void concurrentAppendsGetDenseDistinctIndexes() throws Exception {
    int callers = 4;
    int each = 5;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(callers);
    try {
      List<java.util.concurrent.Future<List<Long>>> calls = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        calls.add(pool.submit(() -> append(each)));
      }
      java.util.TreeSet<Long> indexes = new java.util.TreeSet<>();
      for (var call : calls) {
        indexes.addAll(call.get());
      }
      assertThat(indexes).as("no index handed out twice").hasSize(callers * each);
      JsonNode entries =
          getJson(
              "/api/v1/transparency/entries?start="
                  + indexes.first()
                  + "&end="
                  + (indexes.last() + 1));
      // Other tests may append meanwhile, but every index in the span exists: no gaps.
      assertThat(entries.path("entries")).hasSize((int) (indexes.last() - indexes.first() + 1));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void withoutATokenTheLogAnswers401() throws Exception {
    for (String path :
        List.of(
            "/api/v1/transparency/tree-head",
            "/api/v1/transparency/entries?start=0&end=1",
            "/api/v1/transparency/proof/inclusion?index=0&treeSize=1",
            "/api/v1/transparency/proof/consistency?from=1&to=1")) {
      HttpResponse<String> response = get(path, null);
      assertThat(response.statusCode()).as(path).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"redoubt\"");
    }
  }

  @Test
  void badParametersGet400ProblemsAndUnknownSizes404() throws Exception {
    append(1);
    assertProblem(
        get("/api/v1/transparency/proof/inclusion?index=-1&treeSize=1", token), 400, "index");
    assertProblem(get("/api/v1/transparency/proof/inclusion?index=0", token), 400, "treeSize");
    assertProblem(
        get("/api/v1/transparency/proof/inclusion?index=5&treeSize=5", token),
        400,
        "not in a tree");
    assertProblem(get("/api/v1/transparency/proof/consistency?from=3&to=2", token), 400, "from");
    assertProblem(get("/api/v1/transparency/entries?start=0&end=5000", token), 400, "at most 1000");
    assertProblem(get("/api/v1/transparency/proof/inclusion?index=x&treeSize=1", token), 404, null);
    assertProblem(
        get("/api/v1/transparency/proof/inclusion?index=0&treeSize=" + (1L << 60), token),
        404,
        "the log has");
    assertProblem(
        get("/api/v1/transparency/proof/consistency?from=1&to=" + (1L << 60), token),
        404,
        "the log has");
  }

  private static byte[] recomputedLeaf(JsonNode entry) {
    return new LogLeaf(
            LeafKind.ofCode(entry.path("kind").asText()),
            entry.path("userId").asText(),
            entry.path("deviceId").asText(),
            B64.decode(entry.path("certificateSha384").asText()),
            Instant.ofEpochMilli(entry.path("timestamp").asLong()))
        .encode();
  }

  private static byte[] leafBytes(long index) throws Exception {
    return B64.decode(
        getJson("/api/v1/transparency/entries?start=" + index + "&end=" + (index + 1))
            .path("entries")
            .get(0)
            .path("leaf")
            .asText());
  }

  private static List<byte[]> inclusionProof(long index, long size) throws Exception {
    return hashes(
        getJson("/api/v1/transparency/proof/inclusion?index=" + index + "&treeSize=" + size)
            .path("auditPath"));
  }

  private static List<byte[]> hashes(JsonNode array) {
    List<byte[]> values = new ArrayList<>();
    array.forEach(node -> values.add(B64.decode(node.asText())));
    return values;
  }

  private static JsonNode headCovering(long index) throws Exception {
    long started = System.nanoTime();
    JsonNode head = getJson("/api/v1/transparency/tree-head?covering=" + index);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(head.path("treeSize").asLong()).isGreaterThan(index);
    return head;
  }

  private static List<Long> append(int count) throws Exception {
    List<Long> indexes = new ArrayList<>();
    postJson("/it/transparency/append?count=" + count).forEach(node -> indexes.add(node.asLong()));
    assertThat(indexes).hasSize(count);
    for (int i = 1; i < count; i++) {
      assertThat(indexes.get(i)).as("dense indexes").isEqualTo(indexes.get(i - 1) + 1);
    }
    return indexes;
  }

  private static void assertProblem(HttpResponse<String> response, int status, String detail)
      throws Exception {
    JsonNode problem = Http.assertProblem(response, status);
    if (detail != null) {
      assertThat(problem.path("detail").asText()).contains(detail);
    }
  }

  private static JsonNode getJson(String path) throws Exception {
    HttpResponse<String> response = get(path, token);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static JsonNode postJson(String path) throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(Lab.SERVER.resolve("/api/v1" + path))
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> get(String path, String bearer) throws Exception {
    return Http.get(path, bearer);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return Http.send(request);
  }
}
