package dev.jobkit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A quick A/B check for a shared, noisy machine (not a replacement for {@link CodecBenchmark}):
 * runs the registry and Jackson for the same format and direction in alternating slices of a few
 * milliseconds, and compares operations per <em>CPU</em> second of the thread, so that other
 * processes taking the cores for a while affect both sides alike. Prints the median over rounds of
 * the ratio registry / Jackson.
 *
 * <pre>java -cp job-benchmarks/target/benchmarks.jar dev.jobkit.bench.CodecAb [rounds]</pre>
 */
public final class CodecAb {

  private CodecAb() {}

  /** Keeps results alive so that the JIT cannot drop the work. */
  private static volatile Object sink;

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    Sample sample = Sample.create();
    byte[] msgpack = Codecs.registryMsgpack(sample);
    byte[] jacksonMsgpack = Codecs.jacksonMsgpack(sample);
    byte[] jacksonMsgpackTs = Codecs.jacksonMsgpackTs(sample);
    String json = Codecs.registryJson(sample);
    String jacksonJson = Codecs.jacksonJsonString(sample);
    String jacksonJsonIso = Codecs.jacksonJsonIsoString(sample);

    Map<String, Supplier<Object>> ops = new LinkedHashMap<>();
    ops.put("encodeMsgpackRegistry", () -> Codecs.registryMsgpack(sample));
    ops.put("encodeMsgpackJackson", () -> Codecs.jacksonMsgpack(sample));
    ops.put("encodeMsgpackJacksonTimestampExt", () -> Codecs.jacksonMsgpackTs(sample));
    ops.put("decodeMsgpackRegistry", () -> Codecs.registryFromMsgpack(msgpack));
    ops.put("decodeMsgpackJackson", () -> Codecs.jacksonFromMsgpack(jacksonMsgpack));
    ops.put(
        "decodeMsgpackJacksonTimestampExt", () -> Codecs.jacksonFromMsgpackTs(jacksonMsgpackTs));
    ops.put("encodeJsonRegistry", () -> Codecs.registryJson(sample));
    ops.put("encodeJsonJackson", () -> Codecs.jacksonJsonString(sample));
    ops.put("encodeJsonJacksonIso", () -> Codecs.jacksonJsonIsoString(sample));
    ops.put("decodeJsonRegistry", () -> Codecs.registryFromJson(json));
    ops.put("decodeJsonJackson", () -> Codecs.jacksonFromJsonString(jacksonJson));
    ops.put("decodeJsonJacksonIso", () -> Codecs.jacksonFromJsonIsoString(jacksonJsonIso));

    String[][] pairs = {
      {"encodeMsgpackRegistry", "encodeMsgpackJackson", "encodeMsgpackJacksonTimestampExt"},
      {"decodeMsgpackRegistry", "decodeMsgpackJackson", "decodeMsgpackJacksonTimestampExt"},
      {"encodeJsonRegistry", "encodeJsonJackson", "encodeJsonJacksonIso"},
      {"decodeJsonRegistry", "decodeJsonJackson", "decodeJsonJacksonIso"},
    };
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    // Warm-up: every operation for about two seconds of CPU.
    for (int w = 0; w < 4; w++) {
      for (Supplier<Object> op : ops.values()) {
        slice(cpu, op, 100_000_000L);
      }
    }
    for (String[] group : pairs) {
      List<List<Double>> ratios = List.of(new ArrayList<>(), new ArrayList<>());
      for (int r = 0; r < rounds; r++) {
        double a = slice(cpu, ops.get(group[0]), 20_000_000L);
        for (int j = 1; j < group.length; j++) {
          double b = slice(cpu, ops.get(group[j]), 20_000_000L);
          ratios.get(j - 1).add(a / b);
        }
      }
      for (int j = 1; j < group.length; j++) {
        List<Double> sorted = new ArrayList<>(ratios.get(j - 1));
        sorted.sort(null);
        System.out.printf(
            Locale.ROOT,
            "%-24s / %-34s median %5.2fx  (quartiles %5.2f .. %5.2f)%n",
            group[0],
            group[j],
            sorted.get(sorted.size() / 2),
            sorted.get(sorted.size() / 4),
            sorted.get(sorted.size() * 3 / 4));
      }
    }
  }

  /** Runs {@code op} for about {@code cpuNanos} of thread CPU time; returns ops per CPU second. */
  private static double slice(ThreadMXBean cpu, Supplier<Object> op, long cpuNanos) {
    long start = cpu.getCurrentThreadCpuTime();
    long ops = 0;
    long used;
    do {
      for (int i = 0; i < 64; i++) {
        sink = op.get();
      }
      ops += 64;
      used = cpu.getCurrentThreadCpuTime() - start;
    } while (used < cpuNanos);
    return ops * 1e9 / used;
  }
}
