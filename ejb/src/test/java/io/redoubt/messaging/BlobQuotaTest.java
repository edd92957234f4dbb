package io.redoubt.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BlobQuotaTest {

  private static final long GIB = 1L << 30;

  @Test
  void anUploadFitsUpToExactlyWhatIsLeft() {
    BlobQuota quota = new BlobQuota(10 * GIB, 9 * GIB);
    assertThat(quota.remaining()).isEqualTo(GIB);
    assertThat(quota.admits(GIB)).isTrue();
    assertThat(quota.admits(GIB + 1)).isFalse();
  }

  @Test
  void aFullQuotaAdmitsNothingButAnEmptyUpload() {
    BlobQuota full = new BlobQuota(GIB, GIB);
    assertThat(full.remaining()).isZero();
    assertThat(full.admits(0)).isTrue();
    assertThat(full.admits(1)).isFalse();
  }

  @Test
  void usageAboveALoweredAllowanceLeavesNothingRatherThanANegativeAllowance() {
    BlobQuota over = new BlobQuota(GIB, 3 * GIB);
    assertThat(over.remaining()).isZero();
    assertThat(over.admits(1)).isFalse();
  }

  @Test
  void theLargestSettingsDoNotOverflow() {
    BlobQuota huge = new BlobQuota(1L << 50, 0);
    assertThat(huge.admits(1L << 40)).isTrue();
    assertThat(huge.admits((1L << 50) + 1)).isFalse();
  }

  @Test
  void theRefusalNamesTheAllowanceAndTheUsage() {
    BlobQuotaExceededException refused = new BlobQuota(10 * GIB, 9 * GIB).exceeded();
    assertThat(refused.allowance()).isEqualTo(10 * GIB);
    assertThat(refused.used()).isEqualTo(9 * GIB);
    assertThat(refused.getMessage())
        .contains("at most " + 10 * GIB + " bytes")
        .contains(9 * GIB + " are in use")
        .contains(GIB + " bytes left");
  }

  @Test
  void negativeAmountsAreABug() {
    assertThatThrownBy(() -> new BlobQuota(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BlobQuota(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
