package dev.jobkit.runtime.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The figures of a benchmark main, by name in the order first recorded, with the helpers both
 * runtime benchmarks use: each value is printed with the machine's load when recorded, and the
 * summary gives medians and every repetition.
 */
final class BenchResults {
  private final Map<String, List<Double>> values = new LinkedHashMap<>();
  private final int keyWidth;

  /** Results whose names are printed padded to {@code keyWidth}. */
  BenchResults(int keyWidth) {
    this.keyWidth = keyWidth;
  }

  /** Records one repetition's value and prints it with the load average. */
  void record(String key, double value) {
    values.computeIfAbsent(key, x -> new ArrayList<>()).add(value);
    System.out.printf("  %-" + keyWidth + "s %12.2f   (load %s)%n", key, value, loadAverage());
  }

  /** The median of a figure's repetitions, NaN if it has none. */
  double median(String key) {
    List<Double> v = values.get(key);
    if (v == null || v.isEmpty()) {
      return Double.NaN;
    }
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  /** Figure names in the order first recorded. */
  Iterable<String> keys() {
    return values.keySet();
  }

  /** Prints a summary line: the median, every repetition and {@code note} (e.g. a ratio). */
  void printSummaryLine(String key, String note) {
    StringBuilder runs = new StringBuilder("[");
    for (double d : values.get(key)) {
      runs.append(runs.length() > 1 ? ", " : "").append(String.format("%.1f", d));
    }
    runs.append(']');
    System.out.printf(
        "%-" + keyWidth + "s median %12.2f   runs %s%s%n", key, median(key), runs, note);
  }

  /** The {@code p}-th percentile of {@code nanos}, in milliseconds. */
  static double pct(long[] nanos, int p) {
    long[] a = nanos.clone();
    Arrays.sort(a);
    int i = (int) Math.ceil(p / 100.0 * a.length) - 1;
    return a[Math.max(0, Math.min(a.length - 1, i))] / 1e6;
  }

  /** Seconds since {@code t0} from {@link System#nanoTime()}. */
  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The 1, 5 and 15 minute load averages. */
  static String loadAverage() {
    try {
      String s = Files.readString(Path.of("/proc/loadavg")).trim();
      String[] f = s.split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return String.format(
          "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /** Deletes a directory tree, best effort. */
  static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
