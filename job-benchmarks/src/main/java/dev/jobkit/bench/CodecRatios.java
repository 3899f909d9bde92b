package dev.jobkit.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link CodecBenchmark} and prints, for each benchmark, the median over forks of its
 * throughput (and of its allocation per operation with {@code -prof gc}), then the ratios of issue
 * #17's goals: the registry against Jackson, same format and direction, from the same run.
 *
 * <pre>java -cp job-benchmarks/target/benchmarks.jar dev.jobkit.bench.CodecRatios [JMH options]
 * </pre>
 *
 * <p>JMH options are the usual ones ({@code -f 3 -wi 5 -i 5 -prof gc}); without a benchmark pattern
 * it runs all of {@code CodecBenchmark}.
 */
public final class CodecRatios {

  private CodecRatios() {}

  /** The goals: registry benchmark, Jackson benchmarks (default and same wire form), ratio. */
  private record Goal(
      String what, String registry, String jackson, String jacksonSameWire, double min) {}

  private static final List<Goal> GOALS =
      List.of(
          new Goal(
              "MessagePack encode",
              "encodeMsgpackRegistry",
              "encodeMsgpackJackson",
              "encodeMsgpackJacksonTimestampExt",
              3.0),
          new Goal(
              "MessagePack decode",
              "decodeMsgpackRegistry",
              "decodeMsgpackJackson",
              "decodeMsgpackJacksonTimestampExt",
              2.0),
          new Goal(
              "JSON encode",
              "encodeJsonRegistry",
              "encodeJsonJackson",
              "encodeJsonJacksonIso",
              1.5),
          new Goal(
              "JSON decode",
              "decodeJsonRegistry",
              "decodeJsonJackson",
              "decodeJsonJacksonIso",
              1.5));

  public static void main(String[] args) throws Exception {
    CommandLineOptions cli = new CommandLineOptions(args);
    OptionsBuilder builder = new OptionsBuilder();
    builder.parent(cli);
    if (cli.getIncludes().isEmpty()) {
      builder.include(CodecBenchmark.class.getName());
    }
    Options options = builder.build();
    Collection<RunResult> results = new Runner(options).run();

    Map<String, double[]> score = new TreeMap<>();
    Map<String, double[]> alloc = new TreeMap<>();
    for (RunResult run : results) {
      String name = run.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      List<Double> forks = new ArrayList<>();
      List<Double> bytes = new ArrayList<>();
      for (BenchmarkResult fork : run.getBenchmarkResults()) {
        forks.add(fork.getPrimaryResult().getScore());
        Result<?> norm = fork.getSecondaryResults().get("\u00b7gc.alloc.rate.norm");
        if (norm == null) {
          norm = fork.getSecondaryResults().get("gc.alloc.rate.norm");
        }
        if (norm != null) {
          bytes.add(norm.getScore());
        }
      }
      score.put(name, new double[] {median(forks), forks.size()});
      if (!bytes.isEmpty()) {
        alloc.put(name, new double[] {median(bytes)});
      }
    }

    System.out.println();
    System.out.println("Median over forks (ops/s; B/op with -prof gc):");
    score.forEach(
        (name, s) -> {
          double[] a = alloc.get(name);
          System.out.printf(
              Locale.ROOT,
              "  %-36s %12.0f ops/s  (%d forks)%s%n",
              name,
              s[0],
              (int) s[1],
              a == null ? "" : String.format(Locale.ROOT, "  %8.0f B/op", a[0]));
        });
    System.out.println();
    System.out.println("Goals (registry / Jackson, medians from this run):");
    for (Goal g : GOALS) {
      double[] r = score.get(g.registry());
      double[] j = score.get(g.jackson());
      double[] w = score.get(g.jacksonSameWire());
      if (r == null || j == null) {
        continue;
      }
      double ratio = r[0] / j[0];
      double same = w == null ? Double.NaN : r[0] / w[0];
      double worst = Double.isNaN(same) ? ratio : Math.min(ratio, same);
      System.out.printf(
          Locale.ROOT,
          "  %-20s %5.2fx Jackson, %5.2fx Jackson same wire form; goal >= %.1fx: %s%n",
          g.what(),
          ratio,
          same,
          g.min(),
          worst >= g.min() ? "met" : "MISSED");
      double[] ra = alloc.get(g.registry());
      double[] ja = alloc.get(g.jackson());
      if (ra != null && ja != null) {
        System.out.printf(
            Locale.ROOT,
            "  %-20s %5.0f B/op vs Jackson %5.0f B/op: %s%n",
            "",
            ra[0],
            ja[0],
            ra[0] <= ja[0] ? "not worse" : "WORSE");
      }
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Encoded MessagePack: registry %d bytes, Jackson %d (JavaTimeModule), %d (timestamp ext)%n",
        Codecs.registryMsgpack(Sample.create()).length,
        Codecs.jacksonMsgpack(Sample.create()).length,
        Codecs.jacksonMsgpackTs(Sample.create()).length);
  }

  /** The median of {@code values}: the middle one, or the mean of the middle two. */
  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
