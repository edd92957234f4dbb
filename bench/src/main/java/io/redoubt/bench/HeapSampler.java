package io.redoubt.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A JVM's heap once a second, from {@code jstat -gc PID 1000}: one long-lived process reading the
 * target's perf-data memory, so sampling costs next to nothing (a {@code jcmd} per second would
 * start a JVM per second on a two-core machine). Used heap is survivors + eden + old;
 * old-generation occupancy is the part that shows whether a run keeps its users in memory.
 */
final class HeapSampler implements AutoCloseable {

  /** One sample: when (nanoTime), used heap and old generation, in MiB. */
  record Sample(long at, double usedMiB, double oldMiB) {}

  private final String name;
  private final Process jstat;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread reader;

  private HeapSampler(String name, Process jstat) {
    this.name = name;
    this.jstat = jstat;
    this.reader = new Thread(this::read, "jstat-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts sampling {@code pid}; jstat comes from the JDK this benchmark runs on. */
  static HeapSampler start(String name, long pid) throws IOException {
    Path javaHome = Path.of(System.getProperty("java.home"));
    Path jstat = javaHome.resolve("bin/jstat");
    if (!Files.isExecutable(jstat)) {
      jstat = Path.of("jstat"); // a JRE without it: from the PATH
    }
    Process process =
        new ProcessBuilder(jstat.toString(), "-gc", Long.toString(pid), "1000")
            .redirectErrorStream(true)
            .start();
    return new HeapSampler(name, process);
  }

  private void read() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
      String[] header = null;
      for (String line; (line = lines.readLine()) != null; ) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 0 && "S0C".equals(fields[0])) {
          header = fields;
          continue;
        }
        if (header == null || fields.length != header.length) {
          continue;
        }
        double usedKiB = 0;
        double oldKiB = 0;
        for (int i = 0; i < header.length; i++) {
          switch (header[i]) {
            case "S0U", "S1U", "EU" -> usedKiB += Double.parseDouble(fields[i]);
            case "OU" -> {
              oldKiB = Double.parseDouble(fields[i]);
              usedKiB += oldKiB;
            }
            default -> {
              // capacities, metaspace, GC counts: not needed
            }
          }
        }
        synchronized (samples) {
          samples.add(new Sample(System.nanoTime(), usedKiB / 1024, oldKiB / 1024));
        }
      }
    } catch (IOException | RuntimeException e) {
      // jstat ended (the target exited or we closed it): the samples so far stand.
    }
  }

  /** "WildFly heap: baseline …, peak used …, old gen …" over [from, to) nanoTime. */
  String summary(long baselineFrom, long baselineTo, long from, long to) {
    List<Sample> copy;
    synchronized (samples) {
      copy = List.copyOf(samples);
    }
    double baseUsed = 0;
    double baseOld = 0;
    int baseCount = 0;
    double peakUsed = 0;
    double peakOld = 0;
    double lastOld = Double.NaN;
    int count = 0;
    for (Sample s : copy) {
      if (s.at() >= baselineFrom && s.at() < baselineTo) {
        baseUsed += s.usedMiB();
        baseOld += s.oldMiB();
        baseCount++;
      }
      if (s.at() >= from && s.at() < to) {
        peakUsed = Math.max(peakUsed, s.usedMiB());
        peakOld = Math.max(peakOld, s.oldMiB());
        lastOld = s.oldMiB();
        count++;
      }
    }
    return String.format(
        Locale.ROOT,
        "%s heap: baseline used %.0f MiB (old %.0f) over %d samples; during: peak used %.0f MiB,"
            + " peak old %.0f MiB, old at end %.0f MiB (%d samples)",
        name,
        baseCount == 0 ? Double.NaN : baseUsed / baseCount,
        baseCount == 0 ? Double.NaN : baseOld / baseCount,
        baseCount,
        peakUsed,
        peakOld,
        lastOld,
        count);
  }

  @Override
  public void close() {
    jstat.destroy();
  }
}
