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
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The blob directory: uploads streamed into {@code incoming/}, then moved to {@code <xx>/<blobId>}
 * (256 subdirectories by the id's first two hex digits, so that no directory grows huge). Only
 * ciphertext is ever written here. Nothing is held in memory but one buffer per upload.
 */
@ApplicationScoped
public class BlobFiles {

  private static final int BUFFER = 64 * 1024;

  /** How an upload in progress is named in {@code incoming/}: {@code upload-<digits>.part}. */
  static final String PART_PREFIX = "upload-";

  static final String PART_SUFFIX = ".part";

  private static final String INCOMING = "incoming";

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

  /**
   * What one orphan sweep did.
   *
   * @param orphans blob files deleted because no record names them
   * @param partials abandoned uploads deleted from {@code incoming/}
   * @param ignored entries that Redoubt did not name (not a blob id in its shard, not a regular
   *     file, a symbolic link): left alone
   * @param failed files that could not be deleted
   */
  public record OrphanSweep(int orphans, int partials, int ignored, int failed) {
    /** Whether anything was deleted. */
    public boolean deletedAny() {
      return orphans > 0 || partials > 0;
    }
  }

  @PostConstruct
  void open() {
    useRoot(settings.blobDirectory());
  }

  /** Uses {@code directory} as the blob directory, creating it and {@code incoming/}. */
  void useRoot(Path directory) {
    root = directory;
    incoming = root.resolve(INCOMING);
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
    Path part = Files.createTempFile(incoming, PART_PREFIX, PART_SUFFIX);
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

  /**
   * Deletes blob files older than {@code cutoff} that no record names, and uploads in {@code
   * incoming/} older than {@code cutoff}. Reads each shard directory as a stream and asks {@code
   * recordedAmong} (which ids have a record) about at most {@code batchSize} old files at a time,
   * so that memory and each database query stay bounded however many files there are. Never follows
   * a symbolic link and never touches a name the store did not give: such entries are only counted.
   */
  public OrphanSweep deleteOrphans(
      Instant cutoff, int batchSize, Function<Collection<String>, Set<String>> recordedAmong)
      throws IOException {
    Counts counts = new Counts();
    List<Path> shards = new ArrayList<>();
    try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
      for (Path entry : top) {
        String name = entry.getFileName().toString();
        BasicFileAttributes attributes = attributesOf(entry);
        if (attributes == null) {
          continue;
        }
        if (name.equals(INCOMING) && attributes.isDirectory()) {
          continue; // below
        }
        if (OrphanFiles.isShard(name) && attributes.isDirectory()) {
          shards.add(entry);
        } else {
          counts.ignored++;
        }
      }
    }
    for (Path shard : shards) {
      sweepShard(shard, cutoff, batchSize, recordedAmong, counts);
    }
    BasicFileAttributes incomingAttributes = attributesOf(incoming);
    if (incomingAttributes != null && incomingAttributes.isDirectory()) {
      sweepIncoming(cutoff, counts);
    }
    return new OrphanSweep(counts.orphans, counts.partials, counts.ignored, counts.failed);
  }

  private static void sweepShard(
      Path shard,
      Instant cutoff,
      int batchSize,
      Function<Collection<String>, Set<String>> recordedAmong,
      Counts counts)
      throws IOException {
    String shardName = shard.getFileName().toString();
    Map<String, Path> batch = new LinkedHashMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        BasicFileAttributes attributes = attributesOf(file);
        if (attributes == null) {
          continue;
        }
        if (!OrphanFiles.isBlobFile(shardName, name) || !attributes.isRegularFile()) {
          counts.ignored++;
          continue;
        }
        if (OrphanFiles.oldEnough(attributes.lastModifiedTime().toInstant(), cutoff)) {
          batch.put(name, file);
          if (batch.size() == batchSize) {
            deleteUnrecorded(batch, recordedAmong, counts);
          }
        }
      }
    }
    deleteUnrecorded(batch, recordedAmong, counts);
  }

  private static void deleteUnrecorded(
      Map<String, Path> batch,
      Function<Collection<String>, Set<String>> recordedAmong,
      Counts counts) {
    if (batch.isEmpty()) {
      return;
    }
    Set<String> recorded = recordedAmong.apply(List.copyOf(batch.keySet()));
    for (String orphan : OrphanFiles.orphans(batch.keySet(), recorded)) {
      if (deleteQuietly(batch.get(orphan))) {
        counts.orphans++;
      } else {
        counts.failed++;
      }
    }
    batch.clear();
  }

  private void sweepIncoming(Instant cutoff, Counts counts) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(incoming)) {
      for (Path file : files) {
        BasicFileAttributes attributes = attributesOf(file);
        if (attributes == null) {
          continue;
        }
        if (!OrphanFiles.isPartialUpload(file.getFileName().toString())
            || !attributes.isRegularFile()) {
          counts.ignored++;
        } else if (OrphanFiles.oldEnough(attributes.lastModifiedTime().toInstant(), cutoff)) {
          // Written to with every buffer of the body: an upload still arriving is never this old.
          if (deleteQuietly(file)) {
            counts.partials++;
          } else {
            counts.failed++;
          }
        }
      }
    }
  }

  /** The entry's own attributes (a link's, not its target's); null when it vanished meanwhile. */
  private static BasicFileAttributes attributesOf(Path entry) throws IOException {
    try {
      return Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException vanished) {
      return null;
    }
  }

  /** Deletes one file; false when it could not be (it is counted, and tried again next sweep). */
  private static boolean deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The sweep's running counts. */
  private static final class Counts {
    int orphans;
    int partials;
    int ignored;
    int failed;
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
