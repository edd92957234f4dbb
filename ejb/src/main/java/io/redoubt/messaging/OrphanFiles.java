package io.redoubt.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The orphan sweep's decisions, without I/O: which names in the blob directory it looks at, how old
 * a file must be, and which of the old ones go. {@link BlobFiles#deleteOrphans} walks the directory
 * and applies them.
 */
final class OrphanFiles {

  /**
   * The least age of a file the sweep deletes, whatever the grace. An upload's file is last written
   * just before it is moved into place and its record commits; a transaction that has not committed
   * within WildFly's transaction timeout (5 minutes by default) never will. Three times that leaves
   * room for a slow disk's forced write and a node's clock running a little behind the files'.
   */
  static final Duration MIN_AGE = Duration.ofMinutes(15);

  private static final Pattern SHARD = Pattern.compile("[0-9a-f]{2}");

  private OrphanFiles() {}

  /**
   * Files last modified before this may be deleted: the unclaimed-blob grace ago, and never less
   * than {@link #MIN_AGE} ago.
   */
  static Instant cutoff(Instant now, Duration unclaimedBlobGrace) {
    return now.minus(unclaimedBlobGrace.compareTo(MIN_AGE) > 0 ? unclaimedBlobGrace : MIN_AGE);
  }

  /** A subdirectory of the blob directory that holds blobs: two lower-case hex digits. */
  static boolean isShard(String name) {
    return SHARD.matcher(name).matches();
  }

  /**
   * A name the blob store itself gives a blob's file in {@code shard}: a canonical UUID that starts
   * with the shard's two digits. Anything else was not put there by Redoubt and is left alone.
   */
  static boolean isBlobFile(String shard, String name) {
    if (name.length() != 36 || !name.startsWith(shard)) {
      return false;
    }
    try {
      return UUID.fromString(name).toString().equals(name);
    } catch (IllegalArgumentException notAUuid) {
      return false;
    }
  }

  /** A name {@link BlobFiles#receive} gives an upload in progress in {@code incoming/}. */
  static boolean isPartialUpload(String name) {
    return name.startsWith(BlobFiles.PART_PREFIX) && name.endsWith(BlobFiles.PART_SUFFIX);
  }

  /** Whether a file last modified at {@code modified} is old enough to be deleted. */
  static boolean oldEnough(Instant modified, Instant cutoff) {
    return modified.isBefore(cutoff);
  }

  /** The ids among {@code candidates} that have no record: the orphans, in the given order. */
  static List<String> orphans(Collection<String> candidates, Set<String> recorded) {
    List<String> orphans = new ArrayList<>();
    for (String id : candidates) {
      if (!recorded.contains(id)) {
        orphans.add(id);
      }
    }
    return orphans;
  }
}
