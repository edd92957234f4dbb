package io.redoubt.bench;

import java.util.Arrays;
import java.util.Locale;

/** Recorded durations (nanoseconds) and their percentiles, nearest-rank. */
final class Latencies {

  private long[] values = new long[1024];
  private int count;

  synchronized void record(long nanos) {
    if (count == values.length) {
      values = Arrays.copyOf(values, count * 2);
    }
    values[count++] = nanos;
  }

  synchronized void addAll(Latencies other) {
    long[] theirs;
    int n;
    synchronized (other) {
      theirs = other.values;
      n = other.count;
    }
    for (int i = 0; i < n; i++) {
      record(theirs[i]);
    }
  }

  synchronized int count() {
    return count;
  }

  /** The p-th percentile (0 &lt; p ≤ 100) in milliseconds; NaN when nothing was recorded. */
  synchronized double percentileMillis(double p) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * count);
    return sorted[Math.max(0, Math.min(count, rank) - 1)] / 1e6;
  }

  synchronized double maxMillis() {
    return percentileMillis(100);
  }

  /** "n=…, p50 … ms, p95 …, p99 …, max …". */
  String summary() {
    return String.format(
        Locale.ROOT,
        "n=%d  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms",
        count(),
        percentileMillis(50),
        percentileMillis(95),
        percentileMillis(99),
        maxMillis());
  }
}
