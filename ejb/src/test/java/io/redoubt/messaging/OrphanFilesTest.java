package io.redoubt.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrphanFilesTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final String ID = "3f2b8c1e-9d4a-4b6e-8f01-2c3d4e5f6a7b";

  @Test
  void theCutoffIsTheGraceAgoButNeverLessThanTheMinimumAge() {
    assertThat(OrphanFiles.cutoff(NOW, Duration.ofHours(24)))
        .isEqualTo(NOW.minus(Duration.ofHours(24)));
    // The lab's 30 s grace must not let the sweep touch a file whose record may still commit.
    assertThat(OrphanFiles.cutoff(NOW, Duration.ofSeconds(30)))
        .isEqualTo(NOW.minus(OrphanFiles.MIN_AGE));
    assertThat(OrphanFiles.MIN_AGE).isGreaterThan(Duration.ofMinutes(5));
  }

  @Test
  void onlyAFileOlderThanTheCutoffIsOldEnough() {
    Instant cutoff = NOW.minus(Duration.ofHours(1));
    assertThat(OrphanFiles.oldEnough(cutoff.minusMillis(1), cutoff)).isTrue();
    assertThat(OrphanFiles.oldEnough(cutoff, cutoff)).isFalse();
    assertThat(OrphanFiles.oldEnough(NOW, cutoff)).isFalse();
  }

  @Test
  void aBlobFileIsACanonicalUuidInTheShardOfItsFirstTwoDigits() {
    assertThat(OrphanFiles.isBlobFile("3f", ID)).isTrue();
    assertThat(OrphanFiles.isBlobFile("40", ID)).as("another shard").isFalse();
    assertThat(OrphanFiles.isBlobFile("3F", ID.toUpperCase())).as("not canonical").isFalse();
    assertThat(OrphanFiles.isBlobFile("3f", "3f2b8c1e-9d4a-4b6e-8f01-2c3d4e5f6a7")).isFalse();
    assertThat(OrphanFiles.isBlobFile("3f", ID + ".bak")).isFalse();
    assertThat(OrphanFiles.isBlobFile("3f", "3f2b8c1e9d4a4b6e8f012c3d4e5f6a7b0000")).isFalse();
    assertThat(OrphanFiles.isBlobFile("..", "..")).isFalse();
  }

  @Test
  void shardsAreTwoLowerCaseHexDigits() {
    assertThat(OrphanFiles.isShard("00")).isTrue();
    assertThat(OrphanFiles.isShard("ff")).isTrue();
    assertThat(OrphanFiles.isShard("FF")).isFalse();
    assertThat(OrphanFiles.isShard("incoming")).isFalse();
    assertThat(OrphanFiles.isShard("0")).isFalse();
    assertThat(OrphanFiles.isShard("0g")).isFalse();
  }

  @Test
  void partialUploadsAreTheNamesReceiveGives() {
    assertThat(OrphanFiles.isPartialUpload("upload-1234567890.part")).isTrue();
    assertThat(OrphanFiles.isPartialUpload("upload-1234567890.part.keep")).isFalse();
    assertThat(OrphanFiles.isPartialUpload("notes.txt")).isFalse();
  }

  @Test
  void theOrphansAreTheCandidatesWithoutARecord() {
    String other = "3f000000-0000-4000-8000-000000000000";
    String third = "3f111111-1111-4111-8111-111111111111";
    assertThat(OrphanFiles.orphans(List.of(ID, other, third), Set.of(other)))
        .containsExactly(ID, third);
    assertThat(OrphanFiles.orphans(List.of(ID), Set.of(ID))).isEmpty();
  }
}
