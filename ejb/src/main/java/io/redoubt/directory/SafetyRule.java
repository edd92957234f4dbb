package io.redoubt.directory;

/**
 * How many users one run may take away access from before it stops and asks: max(minUsers, fraction
 * of the active users). A directory outage that looks like "everybody left" is the failure this
 * guards against; a real mass offboarding is confirmed by an administrator.
 */
public record SafetyRule(int minUsers, double fraction) {

  /** The most users a run may disable or remove on its own, given how many are active. */
  public long allowance(long activeUsers) {
    return Math.max(minUsers, (long) Math.floor(fraction * activeUsers));
  }

  /** Whether taking access from {@code losing} of {@code activeUsers} must wait for a person. */
  public boolean mustHold(long losing, long activeUsers) {
    return losing > allowance(activeUsers);
  }
}
