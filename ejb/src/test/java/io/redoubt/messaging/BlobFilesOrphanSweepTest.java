package io.redoubt.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orphan sweep over a real directory, with the database's answer played by a set of ids. */
class BlobFilesOrphanSweepTest {

  private static final Instant NOW = Instant.now();
  private static final Instant CUTOFF = NOW.minus(Duration.ofHours(1));
  private static final Instant OLD = NOW.minus(Duration.ofDays(2));

  @TempDir Path root;
  @TempDir Path elsewhere;

  private final BlobFiles files = new BlobFiles();
  private final Set<String> recorded = new HashSet<>();
  private final List<Collection<String>> lookups = new ArrayList<>();

  @BeforeEach
  void open() {
    files.useRoot(root);
  }

  private BlobFiles.OrphanSweep sweep(int batchSize) throws IOException {
    return files.deleteOrphans(
        CUTOFF,
        batchSize,
        ids -> {
          lookups.add(ids);
          Set<String> found = new HashSet<>(ids);
          found.retainAll(recorded);
          return found;
        });
  }

  private Path blob(String id, Instant modified) throws IOException {
    Path file = files.pathOf(id);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[] {1, 2, 3});
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }

  @Test
  void anOldFileWithoutARecordGoesAndEveryRecordedOrYoungFileStays() throws IOException {
    String orphanId = id();
    String recordedId = id();
    Path orphan = blob(orphanId, OLD);
    Path kept = blob(recordedId, OLD);
    recorded.add(recordedId);
    Path young = blob(id(), NOW); // an upload whose record may be about to commit

    BlobFiles.OrphanSweep done = sweep(500);

    assertThat(orphan).doesNotExist();
    assertThat(kept).exists();
    assertThat(young).exists();
    assertThat(done.orphans()).isEqualTo(1);
    assertThat(done.deletedAny()).isTrue();
    // Only old files are looked up: the young one never reached the database.
    assertThat(lookups.stream().flatMap(Collection::stream)).containsOnly(orphanId, recordedId);
  }

  @Test
  void oldPartialUploadsGoAndYoungOnesAndOtherNamesStay() throws IOException {
    Path incoming = root.resolve("incoming");
    Path abandoned = Files.createTempFile(incoming, "upload-", ".part");
    Files.setLastModifiedTime(abandoned, FileTime.from(OLD));
    Path arriving = Files.createTempFile(incoming, "upload-", ".part");
    Path operators = Files.writeString(incoming.resolve("README"), "kept");
    Files.setLastModifiedTime(operators, FileTime.from(OLD));

    BlobFiles.OrphanSweep done = sweep(500);

    assertThat(abandoned).doesNotExist();
    assertThat(arriving).exists();
    assertThat(operators).exists();
    assertThat(done.partials()).isEqualTo(1);
    assertThat(done.ignored()).isEqualTo(1);
  }

  @Test
  void namesTheStoreDidNotGiveAreCountedAndLeftAlone() throws IOException {
    String misplacedId = "ab" + id().substring(2);
    Path shard = Files.createDirectories(root.resolve("cd"));
    Path misplaced = Files.write(shard.resolve(misplacedId), new byte[1]);
    Path notes = Files.writeString(shard.resolve("notes.txt"), "x");
    Path upperCase =
        Files.write(shard.resolve(("cd" + id().substring(2)).toUpperCase()), new byte[1]);
    Path topLevel = Files.writeString(root.resolve("lost+found.txt"), "x");
    for (Path file : List.of(misplaced, notes, upperCase, topLevel)) {
      Files.setLastModifiedTime(file, FileTime.from(OLD));
    }

    BlobFiles.OrphanSweep done = sweep(500);

    assertThat(List.of(misplaced, notes, upperCase, topLevel)).allMatch(Files::exists);
    assertThat(done.ignored()).isEqualTo(4);
    assertThat(done.deletedAny()).isFalse();
    assertThat(lookups).isEmpty();
  }

  @Test
  void symbolicLinksAreNeverFollowedNorDeleted() throws IOException {
    // A link named like an orphan blob, to a file outside the store.
    Path target = Files.write(elsewhere.resolve("precious"), new byte[] {9});
    Files.setLastModifiedTime(target, FileTime.from(OLD));
    // In shard "aa", never "ee": a random id in shard "ee" would take the name the shard link
    // below needs (one run in 256 failed that way).
    String linkedId = "aa" + id().substring(2);
    Path link = files.pathOf(linkedId);
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, target);
    // A link named like a shard, to a directory holding an old orphan-looking file.
    String outsideId = "ee" + id().substring(2);
    Path outside = Files.write(elsewhere.resolve(outsideId), new byte[] {9});
    Files.setLastModifiedTime(outside, FileTime.from(OLD));
    Files.createSymbolicLink(root.resolve("ee"), elsewhere);

    BlobFiles.OrphanSweep done = sweep(500);

    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(target).exists();
    assertThat(outside).exists();
    assertThat(done.deletedAny()).isFalse();
    assertThat(done.ignored()).isEqualTo(2);
  }

  @Test
  void theDatabaseIsAskedAboutAtMostOneBatchAtATime() throws IOException {
    List<Path> orphans = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      orphans.add(blob("a0" + id().substring(2), OLD));
    }
    String recordedId = "a0" + id().substring(2);
    Path kept = blob(recordedId, OLD);
    recorded.add(recordedId);

    BlobFiles.OrphanSweep done = sweep(3);

    assertThat(orphans).noneMatch(Files::exists);
    assertThat(kept).exists();
    assertThat(done.orphans()).isEqualTo(7);
    assertThat(lookups).hasSize(3).allSatisfy(batch -> assertThat(batch).hasSizeLessThan(4));
  }
}
