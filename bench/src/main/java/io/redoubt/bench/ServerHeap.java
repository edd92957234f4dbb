package io.redoubt.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab WildFly's heap and resident memory, read from outside: {@code jcmd PID GC.heap_info}
 * (after {@code GC.run} when asked, for live data only) and {@code /proc/PID/status}. jcmd attaches
 * as the same user, so the benchmark must run as the user that started the lab.
 */
final class ServerHeap {

  private static final Pattern USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

  private ServerHeap() {}

  /** Bytes of heap in use, after a full GC if {@code collect}; -1 when jcmd fails. */
  static long used(CpuMeter meter, boolean collect) {
    long pid = meter.pid("WildFly").orElse(-1L);
    if (pid < 0) {
      return -1;
    }
    try {
      if (collect) {
        jcmd(pid, "GC.run");
        Thread.sleep(500);
      }
      Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
      return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Live objects by class ({@code jcmd PID GC.class_histogram}, which collects first): class name
   * to {instances, bytes}. Empty when jcmd fails.
   */
  static java.util.Map<String, long[]> histogram(CpuMeter meter) {
    java.util.Map<String, long[]> classes = new java.util.HashMap<>();
    long pid = meter.pid("WildFly").orElse(-1L);
    if (pid < 0) {
      return classes;
    }
    try {
      for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 4 && f[0].endsWith(":")) {
          classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
        }
      }
    } catch (IOException | RuntimeException e) {
      return classes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return classes;
  }

  /**
   * Writes the live objects to an HPROF file ({@code jcmd PID GC.heap_dump}, which collects first),
   * for finding what holds them; jcmd's answer, or why there is none.
   */
  static String heapDump(CpuMeter meter, Path file) {
    long pid = meter.pid("WildFly").orElse(-1L);
    if (pid < 0) {
      return "no WildFly process";
    }
    try {
      return jcmd(pid, "GC.heap_dump " + file.toAbsolutePath()).trim();
    } catch (IOException e) {
      return "jcmd failed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Resident set size in bytes; -1 when unknown. */
  static long rss(CpuMeter meter) {
    long pid = meter.pid("WildFly").orElse(-1L);
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> args = new java.util.ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
    args.addAll(List.of(command.split(" ")));
    Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return out;
  }
}
