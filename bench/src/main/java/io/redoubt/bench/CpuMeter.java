package io.redoubt.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time, from Linux /proc, of the lab's WildFly and MariaDB, of this benchmark, and of the whole
 * machine: the machine is shared (other stacks run on the same two cores), so throughput alone says
 * little; CPU seconds per operation do not depend on who else runs.
 */
final class CpuMeter {

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private final Map<String, Long> pids = new LinkedHashMap<>();

  private CpuMeter() {}

  /** Finds the WildFly JVM (child of the pid the lab records) and MariaDB of {@code lab}. */
  static CpuMeter of(LabState lab) {
    CpuMeter meter = new CpuMeter();
    readPid(lab.dir.resolve("wildfly/wildfly.pid"))
        .flatMap(
            launcher ->
                ProcessHandle.of(launcher)
                    .flatMap(handle -> handle.children().findFirst())
                    .map(ProcessHandle::pid))
        .ifPresent(pid -> meter.pids.put("WildFly", pid));
    readPid(lab.dir.resolve("mariadb/mariadbd.pid"))
        .ifPresent(pid -> meter.pids.put("MariaDB", pid));
    return meter;
  }

  /** The pid of the process this meter calls {@code name} ("WildFly", "MariaDB"), if found. */
  Optional<Long> pid(String name) {
    return Optional.ofNullable(pids.get(name));
  }

  /**
   * As {@link #of}, plus the lab's Keycloak JVM (a descendant of the pid the lab records for {@code
   * kc.sh}) and slapd: the directory benchmark loads all four.
   */
  static CpuMeter ofDirectoryStack(LabState lab) {
    CpuMeter meter = of(lab);
    readPid(lab.dir.resolve("keycloak/keycloak.pid"))
        .flatMap(CpuMeter::javaDescendant)
        .ifPresent(pid -> meter.pids.put("Keycloak", pid));
    readPid(lab.dir.resolve("slapd/slapd.pid")).ifPresent(pid -> meter.pids.put("slapd", pid));
    return meter;
  }

  /** The pid itself if it is a JVM, else its first descendant that is one. */
  static Optional<Long> javaDescendant(long pid) {
    return ProcessHandle.of(pid)
        .flatMap(
            handle ->
                java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(handle), handle.descendants())
                    .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                    .findFirst())
        .map(ProcessHandle::pid);
  }

  /** CPU seconds so far of each process, of this JVM, and the machine's busy and total seconds. */
  Snapshot snapshot() {
    Map<String, Double> seconds = new LinkedHashMap<>();
    pids.forEach((name, pid) -> seconds.put(name, processSeconds(pid)));
    seconds.put(
        "benchmark",
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime()
            / 1e9);
    double[] machine = machineSeconds();
    return new Snapshot(seconds, machine[0], machine[1]);
  }

  record Snapshot(Map<String, Double> processSeconds, double machineBusy, double machineTotal) {

    /** "machine busy 93% of 2 cores; WildFly 31.2 s (41 ms/op), …". */
    String since(Snapshot before, long operations) {
      List<String> parts = new ArrayList<>();
      double total = machineTotal - before.machineTotal;
      parts.add(
          String.format(
              Locale.ROOT,
              "machine busy %.0f%% of %d cores",
              total > 0 ? 100 * (machineBusy - before.machineBusy) / total : Double.NaN,
              Runtime.getRuntime().availableProcessors()));
      double ours = 0;
      for (var entry : processSeconds.entrySet()) {
        double used = entry.getValue() - before.processSeconds.getOrDefault(entry.getKey(), 0.0);
        ours += used;
        parts.add(
            String.format(
                Locale.ROOT,
                "%s %.1f CPU s (%.2f ms/op)",
                entry.getKey(),
                used,
                1000 * used / operations));
      }
      double others = (machineBusy - before.machineBusy) - ours;
      parts.add(String.format(Locale.ROOT, "everything else %.1f CPU s", others));
      return String.join("; ", parts);
    }
  }

  private static double processSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name (which may hold spaces) start after the last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** [busy, total] seconds summed over all cores since boot. */
  private static double[] machineSeconds() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < cpu.length; i++) {
        total += Long.parseLong(cpu[i]);
      }
      long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
      return new double[] {(total - idle) / TICKS_PER_SECOND, total / TICKS_PER_SECOND};
    } catch (IOException | RuntimeException e) {
      return new double[] {Double.NaN, Double.NaN};
    }
  }

  private static Optional<Long> readPid(Path file) {
    try {
      return Optional.of(Long.parseLong(Files.readString(file).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
