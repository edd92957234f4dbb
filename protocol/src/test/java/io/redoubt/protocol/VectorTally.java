package io.redoubt.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the outcome of each published vector by its expected result and collects every mismatch,
 * so a test can print "N valid / M invalid checked" and fail with the list of wrong case ids.
 */
public final class VectorTally {

  private final String name;
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();

  public VectorTally(String name) {
    this.name = name;
  }

  public void count(String bucket) {
    counts.merge(bucket, 1, Integer::sum);
  }

  public void fail(String description) {
    failures.add(description);
  }

  public int get(String bucket) {
    return counts.getOrDefault(bucket, 0);
  }

  public List<String> failures() {
    return failures;
  }

  public int total() {
    return counts.values().stream().mapToInt(Integer::intValue).sum() + failures.size();
  }

  /** Prints the summary line the lead quotes. */
  public String report() {
    String line = name + ": " + counts + ", failures=" + failures.size();
    System.out.println("[vectors] " + line);
    return line;
  }
}
