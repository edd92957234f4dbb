package io.redoubt.messaging;

import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.crypto.HashFunction;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * The blob directory: uploads streamed into {@code incoming/}, then moved to {@code <xx>/<blobId>}
 * (256 subdirectories by the id's first two hex digits, so that no directory grows huge). Only
 * ciphertext is ever written here. Nothing is held in memory but one buffer per upload.
 */
@ApplicationScoped
public class BlobFiles {

  private static final int BUFFER = 64 * 1024;

  @Inject MessagingSettings settings;

  private Path root;
  private Path incoming;

  /** A complete upload in {@code incoming/}, not yet a blob. */
  public record Received(Path file, long size, byte[] sha384) {
    public Received {
      sha384 = sha384.clone();
    }

    @Override
    public byte[] sha384() {
      return sha384.clone();
    }
  }

  @PostConstruct
  void open() {
    root = settings.blobDirectory();
    incoming = root.resolve("incoming");
    try {
      Files.createDirectories(incoming);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the blob directory " + root, e);
    }
  }

  /**
   * Streams {@code body} to a new file, computing its size and SHA-384, and stops reading as soon
   * as more than {@code limit} bytes have come: the partial file is deleted and nothing more of the
   * body is read. The file is forced to disk before this returns, so that a 201 is durable.
   */
  public Received receive(InputStream body, long limit) throws BlobTooLargeException, IOException {
    Path part = Files.createTempFile(incoming, "upload-", ".part");
    boolean complete = false;
    try (FileChannel out = FileChannel.open(part, StandardOpenOption.WRITE)) {
      MessageDigest sha384 = sha384();
      byte[] buffer = new byte[BUFFER];
      long total = 0;
      for (int n; (n = body.read(buffer)) >= 0; ) {
        total += n;
        if (total > limit) {
          throw new BlobTooLargeException(limit);
        }
        sha384.update(buffer, 0, n);
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
      }
      out.force(true);
      complete = true;
      return new Received(part, total, sha384.digest());
    } finally {
      if (!complete) {
        Files.deleteIfExists(part);
      }
    }
  }

  /** Makes a received upload the blob {@code blobId}, atomically. */
  public void install(Received received, String blobId) throws IOException {
    Path target = pathOf(blobId);
    Files.createDirectories(target.getParent());
    Files.move(received.file(), target, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Drops an upload that did not become a blob. */
  public void discard(Received received) throws IOException {
    Files.deleteIfExists(received.file());
  }

  /** The blob's bytes; an open stream keeps them readable even if the blob is deleted meanwhile. */
  public InputStream open(String blobId) throws IOException {
    return Files.newInputStream(pathOf(blobId));
  }

  /** Deletes the blob's file; a missing file is not an error (a sweep may repeat). */
  public void delete(String blobId) throws IOException {
    Files.deleteIfExists(pathOf(blobId));
  }

  /** The file of {@code blobId}, which must be a canonical UUID: nothing else becomes a path. */
  Path pathOf(String blobId) {
    if (!UUID.fromString(blobId).toString().equals(blobId)) {
      throw new IllegalArgumentException("not a canonical blob id");
    }
    return root.resolve(blobId.substring(0, 2)).resolve(blobId);
  }

  private static MessageDigest sha384() {
    try {
      return MessageDigest.getInstance(HashFunction.SHA384.jcaName(), FipsModule.PROVIDER);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the FIPS provider lacks SHA-384", e);
    }
  }
}
