package io.redoubt.client.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.client.AccessToken;
import io.redoubt.client.Json;
import io.redoubt.client.RedoubtApiException;
import io.redoubt.protocol.attachments.AttachmentDescriptor;
import io.redoubt.protocol.attachments.AttachmentFormat;
import io.redoubt.protocol.attachments.AttachmentKey;
import io.redoubt.protocol.attachments.AttachmentOpener;
import io.redoubt.protocol.attachments.AttachmentSealer;
import io.redoubt.protocol.attachments.SealedAttachment;
import io.redoubt.protocol.auth.RequestProof;
import io.redoubt.protocol.crypto.FipsModule;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import javax.net.ssl.SSLContext;

/**
 * Attachments on the client (docs: messaging, "Attachments"): a file is sealed as it is uploaded
 * and opened as it is downloaded, so that neither it nor its ciphertext is ever whole in memory,
 * whatever its size. The server sees ciphertext only; the {@link AttachmentDescriptor} — blob id,
 * key, digest, size, name, media type — goes into the message's encrypted content, and the blob id
 * also into the envelope header's {@code attachments}.
 *
 * <p>Both calls need the device's request proof ({@link ProofSigner}). Thread-safe.
 */
public final class Attachments {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
  private static final String OCTET_STREAM = "application/octet-stream";

  /**
   * How many names {@link #save} tries ({@code name}, {@code name (1)}, ...) before it gives up.
   */
  static final int MAX_NAME_TRIES = 1000;

  /** Signs the {@value RequestProof#HEADER} of one request, bound to the token it goes with. */
  @FunctionalInterface
  public interface ProofSigner {
    /**
     * @param method the HTTP method, upper case
     * @param rawPath the request's path exactly as sent, without the query
     */
    String proof(String method, String rawPath) throws GeneralSecurityException;
  }

  private final URI api;
  private final HttpClient http;

  /**
   * @param server the server's base URL, e.g. {@code https://redoubt.agency.example}
   * @param tls trust anchors for the server's certificate
   */
  public Attachments(URI server, SSLContext tls) {
    this.api = server.resolve("/api/v1/");
    this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(CONNECT_TIMEOUT).build();
  }

  /**
   * Seals {@code file} under a fresh key while uploading it ({@code POST /api/v1/blobs}), and
   * checks that the server stored exactly the bytes sent (its size and SHA-384).
   *
   * @return the descriptor for the message; the caller {@linkplain AttachmentDescriptor#destroy()
   *     destroys} it once the message is sealed
   * @throws RedoubtApiException when the server refuses (413 over its blob limit)
   */
  public AttachmentDescriptor upload(
      Path file, String mediaType, AccessToken token, ProofSigner proofs)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    long size = Files.size(file);
    AttachmentKey key = AttachmentKey.generate(FipsModule.random());
    byte[] keyBytes = key.export();
    try (InputStream plaintext = Files.newInputStream(file);
        AttachmentSealer sealer = AttachmentSealer.seal(plaintext, key, FipsModule.random())) {
      URI target = api.resolve("blobs");
      HttpRequest request =
          HttpRequest.newBuilder(target)
              .header("Authorization", token.authorization())
              .header(RequestProof.HEADER, proofs.proof("POST", target.getRawPath()))
              .header("Content-Type", OCTET_STREAM)
              .header("Accept", "application/json")
              // The length is known before a byte is sealed, so the server can refuse an
              // over-limit file at once rather than after reading its limit's worth.
              .POST(
                  HttpRequest.BodyPublishers.fromPublisher(
                      HttpRequest.BodyPublishers.ofInputStream(() -> sealer),
                      AttachmentFormat.ciphertextLength(size)))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201) {
        throw RedoubtApiException.fromProblem(
            response.statusCode(), response.headers(), response.body());
      }
      SealedAttachment sealed = sealer.sealed();
      JsonNode stored = Json.READER.readTree(response.body());
      byte[] storedDigest = Base64.getUrlDecoder().decode(stored.path("sha384").asText(""));
      if (stored.path("size").asLong(-1) != sealed.ciphertextLength()
          || !MessageDigest.isEqual(storedDigest, sealed.digest())) {
        throw new IOException("the server stored other bytes than were sent");
      }
      return new AttachmentDescriptor(
          UUID.fromString(stored.path("blobId").asText()),
          keyBytes,
          sealed.digest(),
          sealed.plaintextLength(),
          String.valueOf(file.getFileName()),
          mediaType);
    } finally {
      java.util.Arrays.fill(keyBytes, (byte) 0);
      key.destroy();
    }
  }

  /**
   * Downloads the blob ({@code GET /api/v1/blobs/{id}}) and opens it into {@code target}, which
   * must not exist. The plaintext goes to a temporary file beside it that is put in place only once
   * every chunk, the last-chunk flag, the digest and the size verified; on any failure nothing is
   * left at {@code target}. A file that appears at {@code target} meanwhile is never replaced.
   *
   * @throws java.nio.file.FileAlreadyExistsException when {@code target} exists
   * @throws io.redoubt.protocol.attachments.AttachmentIntegrityException when the blob is not the
   *     one the descriptor names
   * @throws RedoubtApiException when the server refuses (404: gone, or not shared with the caller)
   */
  public Path download(
      AttachmentDescriptor attachment, Path target, AccessToken token, ProofSigner proofs)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    Path part = fetch(attachment, target.toAbsolutePath().getParent(), token, proofs);
    try {
      place(part, target);
      return target;
    } finally {
      deleteQuietly(part);
    }
  }

  /**
   * Downloads and opens the blob like {@link #download}, into {@code directory} under the sender's
   * file name made safe ({@link AttachmentNames#sanitise}); when that name is taken, under {@code
   * name (1).ext}, {@code name (2).ext}, ... An existing file is never replaced, and nothing is
   * written outside {@code directory}.
   *
   * @return where the file is
   */
  public Path save(
      AttachmentDescriptor attachment, Path directory, AccessToken token, ProofSigner proofs)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    String name = AttachmentNames.sanitise(attachment.filename());
    Path part = fetch(attachment, directory.toAbsolutePath(), token, proofs);
    try {
      for (int n = 0; n < MAX_NAME_TRIES; n++) {
        Path target = AttachmentNames.inside(directory, AttachmentNames.candidate(name, n));
        try {
          place(part, target);
          return target;
        } catch (FileAlreadyExistsException taken) {
          // the next candidate
        }
      }
      throw new IOException(
          "no free name for " + name + " in " + directory + " after " + MAX_NAME_TRIES + " tries");
    } finally {
      deleteQuietly(part);
    }
  }

  /**
   * Streams the blob through the opener into a private temporary file in {@code directory}; returns
   * it only once everything verified. The caller places it and deletes it.
   */
  private Path fetch(
      AttachmentDescriptor attachment, Path directory, AccessToken token, ProofSigner proofs)
      throws IOException, InterruptedException, RedoubtApiException, GeneralSecurityException {
    URI source = api.resolve("blobs/" + attachment.blobId());
    HttpRequest request =
        HttpRequest.newBuilder(source)
            .header("Authorization", token.authorization())
            .header(RequestProof.HEADER, proofs.proof("GET", source.getRawPath()))
            .header("Accept", OCTET_STREAM)
            .GET()
            .build();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        // A problem body is small; read at most 64 KiB of whatever came.
        String problem = new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        throw RedoubtApiException.fromProblem(response.statusCode(), response.headers(), problem);
      }
      long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (declared >= 0 && declared != attachment.ciphertextLength()) {
        throw new IOException(
            "the blob has "
                + declared
                + " bytes; the message says "
                + attachment.ciphertextLength());
      }
      // Owner-only on POSIX (createTempFile's default), and the placed file is this very inode.
      Path part = Files.createTempFile(directory, ".redoubt-", ".part");
      boolean verified = false;
      AttachmentKey key = attachment.attachmentKey();
      try (AttachmentOpener opener = new AttachmentOpener(body, key, attachment.digest())) {
        Files.copy(opener, part, StandardCopyOption.REPLACE_EXISTING);
        if (opener.plaintextLength() != attachment.size()) {
          throw new IOException("the file has another size than its message says");
        }
        verified = true;
        return part;
      } finally {
        key.destroy();
        if (!verified) {
          deleteQuietly(part);
        }
      }
    }
  }

  /**
   * Gives the verified {@code part} the name {@code target} without ever replacing a file there: a
   * hard link fails atomically when the name exists (a check followed by a rename would not). Where
   * the file system has no hard links, the name is claimed with an exclusive create first.
   */
  private static void place(Path part, Path target) throws IOException {
    try {
      Files.createLink(target, part);
    } catch (FileAlreadyExistsException taken) {
      throw taken;
    } catch (UnsupportedOperationException | FileSystemException noLinks) {
      Files.createFile(target);
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // The failure that brought us here is the one to report; a hidden ".part" file is left.
      file.toFile().deleteOnExit();
    }
  }
}
