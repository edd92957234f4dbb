package io.redoubt.client;

import com.fasterxml.jackson.databind.JavaType;
import io.redoubt.client.device.DeviceIdentity;
import io.redoubt.client.transparency.LogReader;
import io.redoubt.protocol.api.AcknowledgementRequest;
import io.redoubt.protocol.api.CaCertificateChainResponse;
import io.redoubt.protocol.api.ConsistencyProofResponse;
import io.redoubt.protocol.api.ConversationRecipientsResponse;
import io.redoubt.protocol.api.ConversationRequest;
import io.redoubt.protocol.api.ConversationResponse;
import io.redoubt.protocol.api.ConversationUpdate;
import io.redoubt.protocol.api.DeviceResponse;
import io.redoubt.protocol.api.DirectoryResponse;
import io.redoubt.protocol.api.EnrollmentRequest;
import io.redoubt.protocol.api.EnrollmentResponse;
import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.api.InclusionProofResponse;
import io.redoubt.protocol.api.InfoResponse;
import io.redoubt.protocol.api.LogEntriesResponse;
import io.redoubt.protocol.api.LogEntryResponse;
import io.redoubt.protocol.api.MeResponse;
import io.redoubt.protocol.api.MembersRequest;
import io.redoubt.protocol.api.MessageAccepted;
import io.redoubt.protocol.api.QueueResponse;
import io.redoubt.protocol.api.SocketTicketResponse;
import io.redoubt.protocol.api.SyncRunResponse;
import io.redoubt.protocol.api.TreeHeadResponse;
import io.redoubt.protocol.auth.RequestProof;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;

/** A connection to one Redoubt server's REST API v1. Thread-safe. */
public final class RedoubtClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final String PEM = "application/x-pem-file";

  /** A reconciliation of 100,000 users takes minutes; the server answers when it is done. */
  private static final Duration SYNC_RUN_TIMEOUT = Duration.ofMinutes(30);

  private final URI api;
  private final HttpClient http;

  /**
   * @param server the server's base URL, e.g. {@code https://redoubt.agency.example}
   * @param tls trust anchors for the server's certificate
   */
  public RedoubtClient(URI server, SSLContext tls) {
    this.api = server.resolve("/api/v1/");
    this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(TIMEOUT).build();
  }

  /** {@code GET /api/v1/info}: public facts about the installation, including its CA chain. */
  public InfoResponse info() throws IOException, InterruptedException, RedoubtApiException {
    return get("info", null, InfoResponse.class);
  }

  /** {@code GET /api/v1/me}: who the server takes the token's bearer to be. */
  public MeResponse me(AccessToken token)
      throws IOException, InterruptedException, RedoubtApiException {
    return get("me", token, MeResponse.class);
  }

  /**
   * {@code POST /api/v1/devices}: enrolls a device. The answer is unverified: check it with {@link
   * io.redoubt.client.device.EnrollmentCheck} before installing anything.
   */
  public EnrollmentResponse enroll(AccessToken token, EnrollmentRequest request)
      throws IOException, InterruptedException, RedoubtApiException {
    return send(
        "devices",
        token,
        "POST",
        Json.MAPPER.writeValueAsString(request),
        type(EnrollmentResponse.class));
  }

  /** {@code GET /api/v1/devices}: the caller's own devices, active and revoked. */
  public List<DeviceResponse> devices(AccessToken token)
      throws IOException, InterruptedException, RedoubtApiException {
    return send(
        "devices",
        token,
        "GET",
        null,
        Json.MAPPER.getTypeFactory().constructCollectionType(List.class, DeviceResponse.class));
  }

  /** {@code DELETE /api/v1/devices/{id}}: revokes one of the caller's devices. */
  public DeviceResponse revokeDevice(AccessToken token, UUID deviceId)
      throws IOException, InterruptedException, RedoubtApiException {
    return send("devices/" + deviceId, token, "DELETE", null, type(DeviceResponse.class));
  }

  /**
   * {@code GET /api/v1/directory/{username}/devices}: a user's active devices with their proofs,
   * unverified: see {@link io.redoubt.client.directory.PeerDevices}.
   */
  public DirectoryResponse directory(AccessToken token, String username)
      throws IOException, InterruptedException, RedoubtApiException {
    return send(
        "directory/"
            + URLEncoder.encode(username, StandardCharsets.UTF_8).replace("+", "%20")
            + "/devices",
        token,
        "GET",
        null,
        type(DirectoryResponse.class));
  }

  /**
   * {@code GET /api/v1/directory/devices/{deviceId}}: one device, active or revoked, with its
   * owner, certificate chain and inclusion proof; unverified (a revoked device is refused through
   * the CA's revocation list, not through this answer).
   */
  public DirectoryResponse directoryDevice(AccessToken token, UUID deviceId)
      throws IOException, InterruptedException, RedoubtApiException {
    return send("directory/devices/" + deviceId, token, "GET", null, type(DirectoryResponse.class));
  }

  /**
   * {@code POST /api/v1/conversations}: a new conversation; for a direct one that exists, the
   * existing one.
   */
  public ConversationResponse createConversation(AccessToken token, ConversationRequest request)
      throws IOException, InterruptedException, RedoubtApiException {
    return send(
        "conversations",
        token,
        "POST",
        Json.MAPPER.writeValueAsString(request),
        type(ConversationResponse.class));
  }

  /** {@code GET /api/v1/conversations}: the caller's conversations. */
  public List<ConversationResponse> conversations(AccessToken token)
      throws IOException, InterruptedException, RedoubtApiException {
    return send(
        "conversations",
        token,
        "GET",
        null,
        Json.MAPPER
            .getTypeFactory()
            .constructCollectionType(List.class, ConversationResponse.class));
  }

  /** {@code GET /api/v1/conversations/{id}}: one conversation with its members. */
  public ConversationResponse conversation(AccessToken token, UUID conversationId)
      throws IOException, InterruptedException, RedoubtApiException {
    return get("conversations/" + conversationId, token, ConversationResponse.class);
  }

  /** {@code PATCH /api/v1/conversations/{id}} (group admins): rename, default lifetime. */
  public ConversationResponse updateConversation(
      AccessToken token, UUID conversationId, ConversationUpdate update)
      throws IOException, InterruptedException, RedoubtApiException {
    return send(
        "conversations/" + conversationId,
        token,
        "PATCH",
        Json.MAPPER.writeValueAsString(update),
        type(ConversationResponse.class));
  }

  /** {@code POST /api/v1/conversations/{id}/members} (group admins): adds members by login name. */
  public ConversationResponse addMembers(
      AccessToken token, UUID conversationId, MembersRequest members)
      throws IOException, InterruptedException, RedoubtApiException {
    return send(
        "conversations/" + conversationId + "/members",
        token,
        "POST",
        Json.MAPPER.writeValueAsString(members),
        type(ConversationResponse.class));
  }

  /**
   * {@code DELETE /api/v1/conversations/{id}/members/{userId}}: removes a member (group admins), or
   * the caller itself (leaving).
   */
  public void removeMember(AccessToken token, UUID conversationId, String userId)
      throws IOException, InterruptedException, RedoubtApiException {
    send(
        "conversations/" + conversationId + "/members/" + pathSegment(userId),
        token,
        "DELETE",
        null,
        null);
  }

  /**
   * {@code POST /api/v1/conversations/{id}/recipients} (proved): the exact devices a message from
   * {@code device} must be sealed for, each with a freshly claimed prekey. Unverified: see {@code
   * io.redoubt.client.messaging.RecipientCheck}.
   */
  public ConversationRecipientsResponse recipients(
      AccessToken token, DeviceIdentity device, UUID conversationId)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    return proved(
        "conversations/" + conversationId + "/recipients",
        token,
        device,
        "POST",
        null,
        type(ConversationRecipientsResponse.class));
  }

  /**
   * {@code POST /api/v1/conversations/{id}/messages} (proved): stores the envelope. Sending the
   * same envelope again is answered as accepted, so a retry after a lost answer is safe.
   */
  public MessageAccepted sendMessage(
      AccessToken token, DeviceIdentity device, UUID conversationId, EnvelopeMessage envelope)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    return proved(
        "conversations/" + conversationId + "/messages",
        token,
        device,
        "POST",
        Json.MAPPER.writeValueAsString(envelope),
        type(MessageAccepted.class));
  }

  /** {@code GET /api/v1/devices/{id}/queue?after=&limit=} (proved): the device's queue. */
  public QueueResponse queue(AccessToken token, DeviceIdentity device, long after, int limit)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    return proved(
        "devices/" + device.deviceId() + "/queue?after=" + after + "&limit=" + limit,
        token,
        device,
        "GET",
        null,
        type(QueueResponse.class));
  }

  /** {@code POST /api/v1/devices/{id}/queue/acknowledgements} (proved): deletes processed items. */
  public void acknowledge(AccessToken token, DeviceIdentity device, List<Long> seqs)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    proved(
        "devices/" + device.deviceId() + "/queue/acknowledgements",
        token,
        device,
        "POST",
        Json.MAPPER.writeValueAsString(new AcknowledgementRequest(seqs)),
        null);
  }

  /**
   * {@code POST /api/v1/devices/{id}/socket-tickets} (proved): a single-use ticket, good for 30
   * seconds, that opens one {@code /ws} socket for {@code device} (see {@code
   * io.redoubt.client.messaging.QueueSocket}).
   */
  public SocketTicketResponse socketTicket(AccessToken token, DeviceIdentity device)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    return proved(
        "devices/" + device.deviceId() + "/socket-tickets",
        token,
        device,
        "POST",
        null,
        type(SocketTicketResponse.class));
  }

  /** The transparency log's endpoints, as the caller {@code token} reads them. */
  public LogReader transparency(AccessToken token) {
    return new LogReader() {
      @Override
      public TreeHeadResponse newestHead()
          throws IOException, InterruptedException, RedoubtApiException {
        return get("transparency/tree-head", token, TreeHeadResponse.class);
      }

      @Override
      public TreeHeadResponse headCovering(long index)
          throws IOException, InterruptedException, RedoubtApiException {
        return get("transparency/tree-head?covering=" + index, token, TreeHeadResponse.class);
      }

      @Override
      public List<LogEntryResponse> entries(long start, long end)
          throws IOException, InterruptedException, RedoubtApiException {
        return get(
                "transparency/entries?start=" + start + "&end=" + end,
                token,
                LogEntriesResponse.class)
            .entries();
      }

      @Override
      public List<String> inclusionProof(long index, long treeSize)
          throws IOException, InterruptedException, RedoubtApiException {
        return get(
                "transparency/proof/inclusion?index=" + index + "&treeSize=" + treeSize,
                token,
                InclusionProofResponse.class)
            .auditPath();
      }

      @Override
      public List<String> consistencyProof(long from, long to)
          throws IOException, InterruptedException, RedoubtApiException {
        return get(
                "transparency/proof/consistency?from=" + from + "&to=" + to,
                token,
                ConsistencyProofResponse.class)
            .proof();
      }
    };
  }

  /**
   * {@code GET /api/v1/revocations}: the organisation CA's revocation list, DER. Public. Check it
   * with {@link io.redoubt.client.trust.RevocationCheck} before relying on it.
   */
  public byte[] revocationList() throws IOException, InterruptedException, RedoubtApiException {
    var request =
        HttpRequest.newBuilder(api.resolve("revocations"))
            .timeout(TIMEOUT)
            .header("Accept", "application/pkix-crl");
    HttpResponse<byte[]> response =
        http.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() / 100 != 2) {
      throw RedoubtApiException.fromProblem(
          response.statusCode(),
          response.headers(),
          new String(response.body(), StandardCharsets.UTF_8));
    }
    return response.body();
  }

  /**
   * {@code GET /api/v1/admin/ca/certification-request} (administrators): the device CA's PKCS#10
   * request, PEM, for the agency's PKI to sign.
   */
  public String caCertificationRequest(AccessToken token)
      throws IOException, InterruptedException, RedoubtApiException {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(api.resolve("admin/ca/certification-request"))
                .header("Accept", PEM)
                .GET(),
            token);
    return response.body();
  }

  /**
   * {@code PUT /api/v1/admin/ca/certificate} (administrators): installs the chain the agency's PKI
   * returned, PEM, the CA certificate first and the agency root last.
   */
  public CaCertificateChainResponse importCaCertificateChain(AccessToken token, String pem)
      throws IOException, InterruptedException, RedoubtApiException {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(api.resolve("admin/ca/certificate"))
                .header("Content-Type", PEM)
                .header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(pem, StandardCharsets.US_ASCII)),
            token);
    return Json.MAPPER.readValue(response.body(), CaCertificateChainResponse.class);
  }

  /**
   * {@code GET /api/v1/admin/directory/sync-runs} (administrators): the newest directory
   * reconciliation runs first, a running one with its progress.
   */
  public List<SyncRunResponse> syncRuns(AccessToken token, int limit)
      throws IOException, InterruptedException, RedoubtApiException {
    return send(
        "admin/directory/sync-runs?limit=" + limit,
        token,
        "GET",
        null,
        Json.MAPPER.getTypeFactory().constructCollectionType(List.class, SyncRunResponse.class));
  }

  /**
   * {@code POST /api/v1/admin/directory/sync-runs} (administrators): runs a reconciliation now and
   * answers when it is done, so it waits as long as a run over a large directory takes.
   */
  public SyncRunResponse runSync(AccessToken token, boolean full)
      throws IOException, InterruptedException, RedoubtApiException {
    return send(
        "admin/directory/sync-runs?full=" + full,
        token,
        "POST",
        null,
        type(SyncRunResponse.class),
        SYNC_RUN_TIMEOUT);
  }

  /**
   * {@code POST /api/v1/admin/directory/sync-runs/{id}/confirm} (administrators): applies the
   * changes a held run waits to make.
   */
  public SyncRunResponse confirmSync(AccessToken token, long runId)
      throws IOException, InterruptedException, RedoubtApiException {
    return send(
        "admin/directory/sync-runs/" + runId + "/confirm",
        token,
        "POST",
        null,
        type(SyncRunResponse.class),
        SYNC_RUN_TIMEOUT);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, AccessToken token)
      throws IOException, InterruptedException, RedoubtApiException {
    request.timeout(TIMEOUT).header("Authorization", token.authorization());
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw problem(response);
    }
    return response;
  }

  private <T> T get(String path, AccessToken token, Class<T> type)
      throws IOException, InterruptedException, RedoubtApiException {
    return send(path, token, "GET", null, type(type));
  }

  private static JavaType type(Class<?> type) {
    return Json.MAPPER.getTypeFactory().constructType(type);
  }

  private <T> T send(String path, AccessToken token, String method, String json, JavaType type)
      throws IOException, InterruptedException, RedoubtApiException {
    return send(path, token, method, json, type, TIMEOUT);
  }

  private <T> T send(
      String path, AccessToken token, String method, String json, JavaType type, Duration timeout)
      throws IOException, InterruptedException, RedoubtApiException {
    return exchange(
        HttpRequest.newBuilder(api.resolve(path)).timeout(timeout), token, method, json, type);
  }

  /** A request that must come from {@code device}: signed over method, raw path and token. */
  private <T> T proved(
      String path,
      AccessToken token,
      DeviceIdentity device,
      String method,
      String json,
      JavaType type)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    URI target = api.resolve(path);
    var request =
        HttpRequest.newBuilder(target)
            .timeout(TIMEOUT)
            .header(RequestProof.HEADER, device.proof(method, target.getRawPath(), token));
    return exchange(request, token, method, json, type);
  }

  /** Sends the request; {@code type} null for an answer without a body (204). */
  private <T> T exchange(
      HttpRequest.Builder request, AccessToken token, String method, String json, JavaType type)
      throws IOException, InterruptedException, RedoubtApiException {
    request.header("Accept", "application/json");
    if (token != null) {
      request.header("Authorization", token.authorization());
    }
    if (json != null) {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      throw problem(response);
    }
    return type == null ? null : Json.MAPPER.readValue(response.body(), type);
  }

  private static String pathSegment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static RedoubtApiException problem(HttpResponse<String> response) {
    return RedoubtApiException.fromProblem(
        response.statusCode(), response.headers(), response.body());
  }
}
